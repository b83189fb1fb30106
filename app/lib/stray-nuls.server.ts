import { Transform } from "node:stream";

/**
 * React 18's `renderToPipeableStream` encodes into a 2 KB buffer and, when a multi-byte character
 * does not fit at its end, flushes the whole buffer anyway (react#24985, fixed only in React 19 by
 * #26228): the 1–3 bytes left unwritten go out as NUL, and the character follows in the next
 * chunk. Browsers show the NULs as nothing in text and as U+FFFD ("��") in attribute values, which
 * a form posted before hydration then saves. This cuts exactly those bytes: trailing NULs of a
 * full buffer. No NUL belongs in an HTML page, and nothing else is touched.
 */
export const REACT_VIEW_SIZE = 2048;

/**
 * The page's bytes, without those NULs, and written on in one piece per turn of the event loop: React hands a page
 * rendered in one go over as dozens of 2 KB chunks, and each went on through a web stream's promise, a write to the
 * socket (a system call each) and, compressed, a flush of the compressor — 5–10 % of the server's time on a busy page.
 * What React renders later (a suspended part) still goes out as soon as it is rendered, a turn later at most.
 */
export function withoutStrayNuls(): Transform {
  let pending: Buffer[] = [];
  let scheduled = false;
  const release = () => {
    scheduled = false;
    if (!pending.length || stream.destroyed) return;
    stream.push(pending.length === 1 ? pending[0] : Buffer.concat(pending));
    pending = [];
  };
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let end = chunk.length;
      if (end === REACT_VIEW_SIZE) while (end > REACT_VIEW_SIZE - 3 && chunk[end - 1] === 0) end--;
      // React starts a new buffer after writing one out, so the chunk can be kept as it is until the turn ends.
      pending.push(end === chunk.length ? chunk : chunk.subarray(0, end));
      if (!scheduled) {
        scheduled = true;
        setImmediate(release);
      }
      done();
    },
    flush(done) {
      release();
      done();
    },
  });
  return stream;
}

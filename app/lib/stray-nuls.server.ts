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

export function withoutStrayNuls(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let end = chunk.length;
      if (end === REACT_VIEW_SIZE) while (end > REACT_VIEW_SIZE - 3 && chunk[end - 1] === 0) end--;
      done(null, end === chunk.length ? chunk : chunk.subarray(0, end));
    },
  });
}

/**
 * Long CPU work in the server's own thread (an import's planning, reading or writing its stored
 * rows) takes turns with everyone else's requests: it gives the event loop a turn whenever it has
 * run for SLICE_MS, so another user's request waits no longer than that for it.
 */
const SLICE_MS = 20;

/** A function to call between pieces of work: it yields to the event loop once the current slice is used up. */
export function turnTaker(): () => Promise<void> {
  let slice = performance.now();
  return async () => {
    if (performance.now() - slice <= SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    slice = performance.now();
  };
}

/** The most of a body handed on at once by `withBodyInTurns` (more only to reach past a dash). */
const PIECE_BYTES = 64 * 1024;
const DASH = 0x2d;

/**
 * The request with its body handed on in pieces of at most 64 kB, taking a turn between them once a
 * slice is used up. A body that arrived whole (a 10,000-row 汇总表 sent over a fast link queues in
 * the stream) was otherwise searched for its multipart boundaries in one run of promise callbacks,
 * a block of a fifth of a second or more for everyone else's requests.
 */
export function withBodyInTurns(request: Request): Request {
  if (!request.body) return request;
  const reader = request.body.getReader();
  const turn = turnTaker();
  let pending = new Uint8Array(0);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!pending.length) {
        const next = await reader.read();
        if (next.done) return controller.close();
        pending = next.value;
      }
      // No piece ends on a dash: Remix's parser (@web3-storage/multipart-parser) looks for the closing "--" after a
      // boundary within one piece, and a valid body cut between the two dashes was refused — by our cut, or by the
      // network's (a chunk that ends there is joined to the next).
      let end = Math.min(PIECE_BYTES, pending.length);
      while (pending[end - 1] === DASH) {
        if (end < pending.length) {
          end++;
          continue;
        }
        const next = await reader.read();
        if (next.done) break;
        const joined = new Uint8Array(pending.length + next.value.length);
        joined.set(pending);
        joined.set(next.value, pending.length);
        pending = joined;
      }
      await turn();
      controller.enqueue(pending.subarray(0, end));
      pending = pending.subarray(end);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal, duplex: "half" } as RequestInit);
}

/**
 * JSON of an object whose one large list (`listKey`, written last) has an item per line: valid JSON
 * for any reader, and read back by `parseInTurns` a slice at a time instead of in one block (an
 * import's 10,000 rows take a fifth of a second or more to parse at once). JSON.stringify never
 * writes a line break inside a value, so the lines are the items.
 */
export async function stringifyInTurns<K extends string>(value: Record<K, unknown[]> & Record<string, unknown>, listKey: K): Promise<string> {
  const { [listKey]: list, ...rest } = value;
  const head = JSON.stringify(rest);
  const parts = [`${head === "{}" ? "{" : `${head.slice(0, -1)},`}${JSON.stringify(listKey)}:[`];
  const turn = turnTaker();
  for (const [i, item] of list.entries()) {
    parts.push(`\n${JSON.stringify(item)}${i < list.length - 1 ? "," : ""}`);
    await turn();
  }
  parts.push("\n]}");
  return parts.join("");
}

/** Reads what `stringifyInTurns` wrote a slice at a time; JSON written otherwise (stored before, on one line) is parsed whole. */
export async function parseInTurns<T>(text: string): Promise<T> {
  const first = text.indexOf("\n");
  if (first < 0) return JSON.parse(text) as T;
  const last = text.lastIndexOf("\n");
  // The first line opens the list, the last closes it: together, the object with the list empty.
  const value = JSON.parse(text.slice(0, first) + text.slice(last + 1)) as Record<string, unknown[]>;
  const list = value[Object.keys(value).at(-1)!];
  const turn = turnTaker();
  for (let start = first + 1; start < last;) {
    const end = text.indexOf("\n", start);
    const line = text.slice(start, end);
    list.push(JSON.parse(line.endsWith(",") ? line.slice(0, -1) : line));
    start = end + 1;
    await turn();
  }
  return value as T;
}

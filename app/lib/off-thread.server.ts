import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { lowerThreadPriorityFirst } from "~db/priority";

/**
 * CPU-heavy work on files (reading a 汇总表 of thousands of rows, writing a year's workbook) runs
 * in a worker thread, so that the server's event loop goes on answering everyone else meanwhile.
 *
 * The thread loads the server build itself (one file, build/index.js), in which every task is
 * defined at module level, so both sides know the same tasks by name and nothing is compiled
 * twice. One thread per process, started on first use, does one task at a time (the others
 * wait their turn): the CPU and memory an upload may take are bounded whatever is sent at once.
 * Under vitest the sources run through vite, which a thread cannot load; there the task runs
 * inline, so the module tests exercise the same function and the browser tests the thread.
 */

type Task<I, O> = (input: I) => Promise<O>;
interface Definition {
  run: Task<unknown, unknown>;
  /** Errors the task throws on purpose (a file refused), rebuilt on this side with their message. */
  expected: Array<new (message: string) => Error>;
  /** What a thread that died on this task (out of memory, out of time) means to the caller. */
  crashed: () => Error;
}
const definitions = new Map<string, Definition>();

/** Memory a task may take, beside the build itself; past it the thread is stopped, not the server. */
export const THREAD_HEAP_MB = 512;
const TIME_LIMIT_MS = 60_000;

const bundle = fileURLToPath(import.meta.url);
const canThread = isMainThread && bundle.endsWith(".js");

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  definition: Definition;
}

let worker: Worker | null = null;
let queue: Promise<unknown> = Promise.resolve();
const pending = new Map<number, Pending>();
let nextId = 1;

/**
 * The thread's own code: its priority lowered first (a 10,000-row workbook or sheet takes a core for
 * seconds, and loading the build another second: the server's thread and the database come first),
 * then the build, whose tasks answer its messages.
 */
export function threadBootstrap(file: string): string {
  return `${lowerThreadPriorityFirst()}\nimport(${JSON.stringify(pathToFileURL(file).href)});`;
}

function thread(): Worker {
  if (worker) return worker;
  const started = new Worker(threadBootstrap(bundle), {
    eval: true,
    workerData: { offThread: true },
    resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
  });
  started.unref();
  started.on("message", (message: { id: number; output?: unknown; error?: { expected: number; message: string } }) => {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (!message.error) return waiting.resolve(message.output);
    const Expected = waiting.definition.expected[message.error.expected];
    waiting.reject(Expected ? new Expected(message.error.message) : new Error(message.error.message));
  });
  const fail = () => {
    if (worker === started) worker = null;
    for (const [id, waiting] of pending) {
      pending.delete(id);
      waiting.reject(waiting.definition.crashed());
    }
  };
  started.on("error", fail);
  started.on("exit", fail);
  worker = started;
  return started;
}

// An idle thread is stopped: the memory a big sheet took goes back, and a quiet server holds none.
const IDLE_MS = 10_000;
let idle: NodeJS.Timeout | undefined;

function inThread(name: string, definition: Definition, input: unknown): Promise<unknown> {
  clearTimeout(idle);
  return new Promise((resolve, reject) => {
    const id = nextId++;
    const running = thread();
    const limit = setTimeout(() => void running.terminate(), TIME_LIMIT_MS);
    const settle = () => {
      clearTimeout(limit);
      if (pending.size === 0) idle = setTimeout(() => void worker?.terminate(), IDLE_MS).unref();
    };
    pending.set(id, {
      resolve: (value) => {
        settle();
        resolve(value);
      },
      reject: (error) => {
        settle();
        reject(error);
      },
      definition,
    });
    running.postMessage({ id, name, input });
  });
}

/**
 * A task that runs in the thread: `run` must take and return what structured cloning carries
 * (plain objects, arrays, dates, typed arrays — a Buffer comes back as a Uint8Array).
 */
export function offThread<I, O>(
  name: string,
  run: Task<I, O>,
  options: {
    expected?: Definition["expected"];
    crashed?: () => Error;
    /**
     * Work known to be small (a county's 12-row list) runs here at once: the thread's first start
     * loads the whole server build, seconds the officer would wait for milliseconds of work.
     */
    small?: (input: I) => boolean;
  } = {},
): Task<I, O> {
  const definition: Definition = {
    run: run as Task<unknown, unknown>,
    expected: options.expected ?? [],
    crashed: options.crashed ?? (() => new Error(`${name}: the worker thread stopped`)),
  };
  definitions.set(name, definition);
  if (!canThread) return run;
  return (input) => {
    if (options.small?.(input)) return run(input);
    const turn = queue.then(() => inThread(name, definition, input));
    queue = turn.catch(() => {});
    return turn as Promise<O>;
  };
}

// Inside the thread: answer the tasks the server hands over, one message each.
if (!isMainThread && (workerData as { offThread?: boolean } | null)?.offThread) {
  parentPort!.on("message", async ({ id, name, input }: { id: number; name: string; input: unknown }) => {
    const definition = definitions.get(name);
    try {
      if (!definition) throw new Error(`no task ${name}`);
      parentPort!.postMessage({ id, output: await definition.run(input) });
    } catch (error) {
      const expected = definition?.expected.findIndex((E) => error instanceof E) ?? -1;
      parentPort!.postMessage({ id, error: { expected, message: (error as Error).message } });
    }
  });
}

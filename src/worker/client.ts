// The page's end of the training worker: thin transport. It starts the worker, posts messages (with their
// transfer lists), hands every message to one listener and reports a crash. What the messages mean is the
// store's business (src/store/run.ts).
import type { FromWorker, ToWorker } from './protocol';

export interface WorkerListener {
  message(m: FromWorker): void;
  /** The worker failed to start or died; a new one starts with the next message. */
  crashed(reason: string): void;
}

let worker: Worker | null = null;
let listener: WorkerListener | null = null;

export function listen(l: WorkerListener): void {
  listener = l;
}

function ensureWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./train.worker.ts', import.meta.url), {
    type: 'module',
    name: 'paperweight-train',
  });
  worker = w;
  w.onmessage = (ev: MessageEvent<FromWorker>) => listener?.message(ev.data);
  w.onerror = (ev) => {
    ev.preventDefault();
    w.terminate();
    if (worker === w) worker = null;
    listener?.crashed(ev.message || 'the training worker failed to start');
  };
  return w;
}

/** Posts a message; the buffers in `transfer` move to the worker (no copy) and are unusable here afterwards. */
export function send(m: ToWorker, transfer: Transferable[] = []): void {
  ensureWorker().postMessage(m, transfer);
}

/** Whether a worker is up (a crashed or never-started one is not). */
export const workerAlive = (): boolean => worker !== null;

/** `?testHooks=1` exposes hooks the end-to-end tests use to break things on purpose. */
export function installTestHooks(search = globalThis.location?.search ?? ''): void {
  if (!new URLSearchParams(search).has('testHooks')) return;
  (globalThis as { __paperweightTest?: unknown }).__paperweightTest = {
    loseDevice: () => send({ type: 'test-lose-device' }),
  };
}

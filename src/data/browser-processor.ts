// Runs image batches in a small pool of module workers so thousands of images load without freezing the
// page. A batch's bytes are transferred to the worker and the pixels transferred back.
import type { BatchItem, BatchOutput, ImageProcessor } from './image-pipeline';
import type { WorkerRequest } from './image-worker';

type Reply = { id: number; out?: BatchOutput; error?: string };

export function browserProcessor(): ImageProcessor | null {
  if (typeof Worker === 'undefined' || typeof createImageBitmap === 'undefined') return null;
  const size = Math.max(1, Math.min(4, (globalThis.navigator?.hardwareConcurrency ?? 2) - 1));
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const pending = new Map<number, { resolve: (o: BatchOutput) => void; reject: (e: Error) => void }>();
  let nextId = 1;

  const spawn = () => {
    const w = new Worker(new URL('./image-worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<Reply>) => {
      const p = pending.get(e.data.id);
      pending.delete(e.data.id);
      if (e.data.out) p?.resolve(e.data.out);
      else p?.reject(new Error(e.data.error ?? 'the image worker failed'));
    };
    w.onerror = (e) => {
      for (const p of pending.values()) p.reject(new Error(`the image worker failed: ${e.message}`));
      pending.clear();
    };
    workers.push(w);
    return w;
  };
  const acquire = (): Promise<Worker> => {
    const w = idle.pop() ?? (workers.length < size ? spawn() : null);
    return w ? Promise.resolve(w) : new Promise((resolve) => waiting.push(resolve));
  };
  const release = (w: Worker) => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };

  return {
    parallel: size,
    async run(items: BatchItem[], target, channels) {
      const w = await acquire();
      try {
        const id = nextId++;
        // Transfer copies: the caller's bytes may be views into a zip's buffer or reused by a later load.
        const own = items.map((it) => ({ ...it, bytes: it.bytes.slice() }));
        const msg: WorkerRequest = { id, items: own, target, channels };
        return await new Promise<BatchOutput>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          w.postMessage(
            msg,
            own.map((it) => it.bytes.buffer as ArrayBuffer),
          );
        });
      } finally {
        release(w);
      }
    },
    close() {
      for (const w of workers) w.terminate();
    },
  };
}

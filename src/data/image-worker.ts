// The image worker: decodes, converts and resizes batches of images off the page's thread.
import { decodeWithBrowser } from './browser-decoder';
import { type BatchItem, processBatch } from './image-pipeline';

export interface WorkerRequest {
  id: number;
  items: BatchItem[];
  target: [number, number] | null;
  channels: 1 | 3;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};

scope.onmessage = async (e) => {
  const { id, items, target, channels } = e.data;
  try {
    const out = await processBatch(items, target, channels, decodeWithBrowser);
    const transfer = out.results.flatMap((r) => (r.ok ? [r.pixels.buffer as ArrayBuffer] : []));
    scope.postMessage({ id, out }, transfer);
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) }, []);
  }
};

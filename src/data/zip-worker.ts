// The unzip worker: one zip in, its files out (transferred), so inflating never blocks the page.
import { DatasetError } from './types';
import { unzipEntries } from './zip';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<{ bytes: Uint8Array; archive: string }>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};

scope.onmessage = (e) => {
  const { bytes, archive } = e.data;
  try {
    // Copies so each file owns its buffer and can be transferred back.
    const entries = unzipEntries(bytes, archive).map((x) => ({ name: x.name, bytes: x.bytes.slice() }));
    scope.postMessage(
      { entries },
      entries.map((x) => x.bytes.buffer as ArrayBuffer),
    );
  } catch (err) {
    const error =
      err instanceof DatasetError
        ? { file: err.file, reason: err.reason }
        : err instanceof Error
          ? err.message
          : String(err);
    scope.postMessage({ error }, []);
  }
};

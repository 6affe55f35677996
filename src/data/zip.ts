// Zip archives (.npz and zipped image folders). The directory at the zip's end is read and checked by hand
// (zip-directory.ts) so a zip bomb or a lying end record is refused before anything is inflated; then each
// wanted entry is inflated into at most the size it declared. In the page this runs in a worker
// (zip-worker.ts), so even a large honest zip never freezes the tab.
import { fromBytes } from './adapters';
import { InflateFailure, inflateCapped } from './inflate';
import { MAX_UNZIPPED_BYTES } from './limits';
import { excerpt, formatBytes } from './text';
import { DatasetError, type InputFile } from './types';
import { readZipDirectory } from './zip-directory';

export { MAX_UNZIPPED_BYTES };

export function isZip(head: Uint8Array): boolean {
  return (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    (head[2] === 0x03 || head[2] === 0x05) &&
    (head[3] === 0x04 || head[3] === 0x06)
  );
}

export interface UnzippedEntry {
  name: string;
  bytes: Uint8Array;
}

const LOCAL = 0x04034b50;

const wanted = (name: string) => !name.endsWith('/') && !name.startsWith('__MACOSX/');

/** The files in a zip (folders and macOS metadata left out), inflated in this thread. */
export function unzipEntries(bytes: Uint8Array, archive: string): UnzippedEntry[] {
  const entries = readZipDirectory(bytes, archive).filter((e) => wanted(e.name));
  const declared = entries.reduce((a, e) => a + e.size, 0);
  if (declared > MAX_UNZIPPED_BYTES) {
    throw new DatasetError(
      archive,
      `would unpack to ${formatBytes(declared)} (${entries.length} entries from ${formatBytes(bytes.length)} of zip), more than the ` +
        `${formatBytes(MAX_UNZIPPED_BYTES)} Paperweight unpacks in a browser tab; it was refused before unpacking ` +
        '(a zip bomb, or a dataset too large for the browser)',
    );
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return entries.map((e) => {
    const name = excerpt(e.name, 80);
    const damaged = (what: string): never => {
      throw new DatasetError(
        archive,
        `is a damaged zip archive: ${name} ${what}; download it again or zip the files again`,
      );
    };
    const at = e.localOffset;
    if (!(at + 30 <= bytes.length) || v.getUint32(at, true) !== LOCAL)
      damaged('cannot be found where the directory says');
    const start = at + 30 + v.getUint16(at + 26, true) + v.getUint16(at + 28, true);
    if (!(start + e.compressedSize <= bytes.length))
      damaged('runs past the end of the file (the zip is cut short)');
    const raw = bytes.subarray(start, start + e.compressedSize);
    if (e.method === 0) {
      if (e.compressedSize !== e.size) damaged('has two different sizes in the directory');
      return { name: e.name, bytes: raw };
    }
    if (e.method !== 8) {
      throw new DatasetError(
        archive,
        `${name} is compressed with method ${e.method}, which Paperweight cannot unpack; zip it again with the usual (deflate) compression`,
      );
    }
    let out: Uint8Array;
    try {
      out = inflateCapped(raw, e.size, 'raw');
    } catch (err) {
      if (!(err instanceof InflateFailure)) throw err;
      return damaged(
        err.problem === 'too long'
          ? `unpacks to more than the ${e.size} bytes the directory declares`
          : `has ${err.problem} compressed data`,
      );
    }
    if (out.length !== e.size) damaged(`unpacks to ${out.length} bytes but the directory declares ${e.size}`);
    return { name: e.name, bytes: out };
  });
}

/** The files in a zip as InputFiles (folders and macOS metadata left out). */
export function unzipFiles(bytes: Uint8Array, archive: string): InputFile[] {
  return unzipEntries(bytes, archive).map((e) => fromBytes(e.name, e.bytes));
}

type Reply = { entries: UnzippedEntry[] } | { error: { file: string; reason: string } | string };

/** Unzips in a worker where there are workers (the page), in this thread otherwise (Node, tests). */
export async function unzipOffThread(bytes: Uint8Array, archive: string): Promise<InputFile[]> {
  if (typeof Worker === 'undefined' || typeof window === 'undefined') return unzipFiles(bytes, archive);
  const worker = new Worker(new URL('./zip-worker.ts', import.meta.url), { type: 'module' });
  try {
    const reply = await new Promise<Reply>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<Reply>) => resolve(e.data);
      worker.onerror = () =>
        reject(
          new DatasetError(
            archive,
            'could not be unpacked: the unzip worker failed; try again, or unzip it and drop the folder',
          ),
        );
      worker.postMessage({ bytes, archive });
    });
    if ('entries' in reply) return reply.entries.map((e) => fromBytes(e.name, e.bytes));
    const err = reply.error;
    if (typeof err === 'string') {
      // Not a refusal but the engine failing (most likely out of memory): say so in plain words.
      throw new DatasetError(
        archive,
        /memory|allocation|RangeError/i.test(err)
          ? 'could not be unpacked: the browser ran out of memory; unzip it and drop fewer files at a time'
          : 'could not be unpacked: the unzip worker failed; try again, or unzip it and drop the folder',
      );
    }
    throw new DatasetError(err.file, err.reason);
  } finally {
    worker.terminate();
  }
}

// Zip archives (.npz and zipped image folders) through fflate. A zip's directory sits at its end, so the
// archive is read whole and its entries inflated in one go (skipping folders and macOS metadata).
import { unzipSync } from 'fflate';
import { fromBytes } from './adapters';
import { DatasetError, type InputFile } from './types';

export function isZip(head: Uint8Array): boolean {
  return (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    (head[2] === 0x03 || head[2] === 0x05) &&
    (head[3] === 0x04 || head[3] === 0x06)
  );
}

/** The files in a zip as InputFiles (folders and macOS metadata left out). */
export function unzipFiles(
  bytes: Uint8Array,
  archive: string,
  keep: (name: string) => boolean = () => true,
): InputFile[] {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => !f.name.endsWith('/') && !f.name.startsWith('__MACOSX/') && keep(f.name),
    });
  } catch (e) {
    throw new DatasetError(
      archive,
      `is not a readable zip archive (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  return Object.entries(entries).map(([name, data]) => fromBytes(name, data));
}

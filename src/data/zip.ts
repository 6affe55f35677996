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

/** What a dropped zip may unpack to, in total, in the page's memory. */
export const MAX_UNZIPPED_BYTES = 1 << 30;

const gib = (n: number) =>
  n >= 1 << 30
    ? `${(n / (1 << 30)).toFixed(2)} GiB`
    : n >= 1 << 20
      ? `${(n / (1 << 20)).toFixed(1)} MiB`
      : `${n} bytes`;

/** The files in a zip as InputFiles (folders and macOS metadata left out). */
export function unzipFiles(
  bytes: Uint8Array,
  archive: string,
  keep: (name: string) => boolean = () => true,
): InputFile[] {
  const wanted = (name: string) => !name.endsWith('/') && !name.startsWith('__MACOSX/') && keep(name);
  // First pass over the central directory only: the sizes the entries declare, so a zip bomb is refused
  // before anything is inflated. fflate then inflates each entry into a buffer of its declared size, so a
  // lying entry cannot grow past what was checked here.
  let declared = 0;
  let count = 0;
  try {
    unzipSync(bytes, {
      filter: (f) => {
        if (wanted(f.name)) {
          declared += f.originalSize;
          count++;
        }
        return false;
      },
    });
  } catch (e) {
    throw new DatasetError(
      archive,
      `is not a readable zip archive (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (declared > MAX_UNZIPPED_BYTES) {
    throw new DatasetError(
      archive,
      `would unpack to ${gib(declared)} (${count} entries from ${gib(bytes.length)} of zip), more than the ` +
        `${gib(MAX_UNZIPPED_BYTES)} Paperweight unpacks in a browser tab; it was refused before unpacking ` +
        '(a zip bomb, or a dataset too large for the browser)',
    );
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => wanted(f.name) });
  } catch (e) {
    throw new DatasetError(
      archive,
      `is not a readable zip archive (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  return Object.entries(entries).map(([name, data]) => fromBytes(name, data));
}

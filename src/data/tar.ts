// A streaming tar reader (ustar, GNU long names, pax paths): each entry's bytes are handed to the caller
// chunk by chunk as they are decompressed, so nothing but the current chunk is buffered. Header fields are
// checked before use: a size that is negative, not octal or beyond what can exist is refused by name.
import { MAX_WHOLE_FILE_BYTES } from './limits';
import { type ByteReader, concatBytes } from './stream';
import { byteExcerpt, excerpt, formatBytes } from './text';
import { DatasetError } from './types';

export interface TarEntry {
  path: string;
  size: number;
  isFile: boolean;
}

/** Long names and pax records are a few hundred bytes; more is a corrupt header. */
const MAX_META_BYTES = 1 << 20;

/** An entry's bytes; whatever the callback leaves unread is skipped. */
export class TarBody {
  remaining: number;
  constructor(
    private readonly reader: ByteReader,
    private readonly archive: string,
    readonly entry: TarEntry,
  ) {
    this.remaining = entry.size;
  }

  private truncated(): never {
    throw new DatasetError(
      this.archive,
      `truncated: the archive ends inside ${excerpt(this.entry.path, 80)} (its header says ${this.entry.size} bytes, ${this.entry.size - this.remaining} arrived); download it again`,
    );
  }

  /** The next piece of the entry (a view valid until the next read), or null at its end. */
  async chunk(max = Number.POSITIVE_INFINITY): Promise<Uint8Array | null> {
    if (!(this.remaining > 0)) return null;
    const c = await this.reader.chunk(Math.min(max, this.remaining));
    if (!c || c.length === 0) this.truncated();
    this.remaining -= c.length;
    return c;
  }

  /**
   * The whole entry in one new array (for entries parsed as a whole, like pickles). Memory follows the bytes
   * that arrive, not the size the header claims, so a lying header cannot make it allocate gigabytes.
   */
  async readAll(limit = MAX_WHOLE_FILE_BYTES): Promise<Uint8Array> {
    if (this.remaining > limit) {
      throw new DatasetError(
        this.archive,
        `${excerpt(this.entry.path, 80)} is ${formatBytes(this.remaining)} by its tar header, more than the ${formatBytes(limit)} Paperweight reads as one file; the archive is corrupt or not a dataset it can load`,
      );
    }
    const parts: Uint8Array[] = [];
    for (let c = await this.chunk(); c; c = await this.chunk()) parts.push(c.slice());
    return concatBytes(parts);
  }
}

const decoder = new TextDecoder();

function cString(b: Uint8Array, start: number, len: number): string {
  let end = start;
  while (end < start + len && b[end] !== 0) end++;
  return decoder.decode(b.subarray(start, end));
}

/**
 * A numeric header field: octal digits (padded with spaces or NULs), or GNU base-256 for sizes of 8 GB and
 * more (high bit of the first byte set). NaN when it is neither, or negative, or too large to be exact.
 */
function octal(b: Uint8Array, start: number, len: number): number {
  if (b[start] & 0x80) {
    if (b[start] & 0x40) return Number.NaN; // base-256 negative
    let v = b[start] & 0x3f;
    for (let i = 1; i < len; i++) v = v * 256 + b[start + i];
    return Number.isSafeInteger(v) ? v : Number.NaN;
  }
  const s = cString(b, start, len).replace(/^[ ]+|[ ]+$/g, '');
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) return Number.NaN;
  const v = Number.parseInt(s, 8);
  return Number.isSafeInteger(v) ? v : Number.NaN;
}

function trimZeros(b: Uint8Array): Uint8Array {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return b.subarray(0, end);
}

function checksumOk(h: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum === octal(h, 148, 8);
}

export function looksLikeTar(head: Uint8Array): boolean {
  return head.length >= 512 && cString(head, 257, 5) === 'ustar' && checksumOk(head);
}

function paxPath(body: Uint8Array): string | null {
  const text = decoder.decode(body);
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(' ', i);
    if (sp < 0) break;
    const len = Number.parseInt(text.slice(i, sp), 10);
    if (!(len > sp - i)) break;
    const rec = text.slice(sp + 1, i + len - 1);
    if (rec.startsWith('path=')) return rec.slice(5);
    i += len;
  }
  return null;
}

/** Calls onEntry for every entry in order; onEntry reads what it wants from the body. */
export async function readTar(
  reader: ByteReader,
  archive: string,
  onEntry: (entry: TarEntry, body: TarBody) => Promise<void>,
): Promise<void> {
  let longName: string | null = null;
  for (;;) {
    const h = await reader.read(512);
    if (h.length === 0) return; // some writers omit the two closing zero blocks
    if (h.length < 512)
      throw new DatasetError(archive, 'truncated: the archive ends inside a tar header; download it again');
    if (h.every((x) => x === 0)) return;
    if (!checksumOk(h)) {
      throw new DatasetError(
        archive,
        `is not a tar archive or is corrupt (bad header checksum at byte ${reader.position - 512}); download it again`,
      );
    }
    const type = String.fromCharCode(h[156] || 48);
    const size = octal(h, 124, 12);
    let path = cString(h, 0, 100);
    const prefix = cString(h, 257, 6) === 'ustar' && h[262] === 0 ? cString(h, 345, 155) : '';
    if (prefix) path = `${prefix}/${path}`;
    if (Number.isNaN(size)) {
      throw new DatasetError(
        archive,
        `is corrupt: the tar header of ${excerpt(longName ?? path, 80)} has a size that is not a real byte count ('${byteExcerpt(trimZeros(h.subarray(124, 136)), 12)}'); download it again`,
      );
    }
    const padding = (512 - (size % 512)) % 512;
    if (type === 'L' || type === 'x') {
      if (size > MAX_META_BYTES) {
        throw new DatasetError(
          archive,
          `is corrupt: a tar name record claims ${formatBytes(size)}; download it again`,
        );
      }
      const body = new TarBody(reader, archive, { path: '(long name)', size, isFile: false });
      const bytes = await body.readAll();
      longName = type === 'L' ? cString(bytes, 0, bytes.length) : (paxPath(bytes) ?? longName);
      await reader.skip(padding);
      continue;
    }
    if (longName) path = longName;
    longName = null;
    const entry: TarEntry = { path: path.replace(/^\.\//, ''), size, isFile: type === '0' || type === '7' };
    const body = new TarBody(reader, archive, entry);
    if (entry.isFile) await onEntry(entry, body);
    while (await body.chunk()) {
      // skip what the callback did not read
    }
    if ((await reader.skip(padding)) < padding) {
      throw new DatasetError(
        archive,
        `truncated: the archive ends after ${excerpt(entry.path, 80)}, inside its padding; download it again`,
      );
    }
  }
}

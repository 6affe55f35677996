// A streaming tar reader (ustar, GNU long names, pax paths): each entry's bytes are handed to the caller
// chunk by chunk as they are decompressed, so nothing but the current chunk is buffered.
import type { ByteReader } from './stream';
import { DatasetError } from './types';

export interface TarEntry {
  path: string;
  size: number;
  isFile: boolean;
}

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

  /** The next piece of the entry (a view valid until the next read), or null at its end. */
  async chunk(max = Number.POSITIVE_INFINITY): Promise<Uint8Array | null> {
    if (this.remaining === 0) return null;
    const c = await this.reader.chunk(Math.min(max, this.remaining));
    if (!c) {
      throw new DatasetError(
        this.archive,
        `truncated: the archive ends inside ${this.entry.path} (its header says ${this.entry.size} bytes, ${this.entry.size - this.remaining} arrived)`,
      );
    }
    this.remaining -= c.length;
    return c;
  }

  /** The whole entry in one new array (for entries that must be parsed as a whole, like pickles). */
  async readAll(): Promise<Uint8Array> {
    const out = new Uint8Array(this.remaining);
    let off = 0;
    for (let c = await this.chunk(); c; c = await this.chunk()) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

const decoder = new TextDecoder();

function cString(b: Uint8Array, start: number, len: number): string {
  let end = start;
  while (end < start + len && b[end] !== 0) end++;
  return decoder.decode(b.subarray(start, end));
}

function octal(b: Uint8Array, start: number, len: number): number {
  // GNU base-256 for sizes of 8 GB and more: high bit of the first byte set.
  if (b[start] & 0x80) {
    let v = b[start] & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + b[start + i];
    return v;
  }
  const s = cString(b, start, len).trim();
  return s ? Number.parseInt(s, 8) : 0;
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
    const len = Number.parseInt(text.slice(i, sp), 10);
    if (!(len > 0)) break;
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
    if (h.length < 512) throw new DatasetError(archive, 'truncated: the archive ends inside a tar header');
    if (h.every((x) => x === 0)) return;
    if (!checksumOk(h)) {
      throw new DatasetError(
        archive,
        `is not a tar archive or is corrupt (bad header checksum at byte ${reader.position - 512})`,
      );
    }
    const type = String.fromCharCode(h[156] || 48);
    const size = octal(h, 124, 12);
    let path = cString(h, 0, 100);
    const prefix = cString(h, 257, 6) === 'ustar' && h[262] === 0 ? cString(h, 345, 155) : '';
    if (prefix) path = `${prefix}/${path}`;
    const padding = (512 - (size % 512)) % 512;
    if (type === 'L' || type === 'x') {
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
      throw new DatasetError(archive, `truncated: the archive ends after ${entry.path}, inside its padding`);
    }
  }
}

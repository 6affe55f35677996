// A zip's central directory, read and checked by hand before anything is inflated: the end record's entry
// count, directory size and offset must fit inside the file (a 1 KB zip64 record can claim 2^31 entries),
// and every entry must lie inside the directory it claims. Nothing here allocates more than the directory.
import { MAX_ZIP_ENTRIES } from './limits';
import { DatasetError } from './types';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const END = 0x06054b50;
const END64 = 0x06064b50;
const LOCATOR64 = 0x07064b50;
const CENTRAL = 0x02014b50;

const utf8 = new TextDecoder('utf-8', { fatal: false });
const latin1 = new TextDecoder('latin1');

function u64(v: DataView, at: number): number {
  return v.getUint32(at, true) + v.getUint32(at + 4, true) * 2 ** 32;
}

function findEnd(b: Uint8Array, v: DataView): number {
  const lowest = Math.max(0, b.length - 22 - 0xffff);
  for (let p = b.length - 22; p >= lowest; p--) if (v.getUint32(p, true) === END) return p;
  return -1;
}

/** The entries of the zip `bytes` as its directory lists them (folders included). */
export function readZipDirectory(bytes: Uint8Array, archive: string): ZipEntry[] {
  const fail = (why: string): never => {
    throw new DatasetError(archive, why);
  };
  const corrupt = (what: string): never =>
    fail(`is a damaged zip archive (${what}); download it again or zip the files again`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length >= 22 ? findEnd(bytes, v) : -1;
  if (end < 0) {
    fail(
      'is not a readable zip archive: its end (the list of files a zip keeps at its end) is missing, so the file is cut short or is not a zip; download it again',
    );
  }
  let count = v.getUint16(end + 10, true);
  let dirSize = v.getUint32(end + 12, true);
  let dirOffset = v.getUint32(end + 16, true);
  let dirLimit = end;
  // 0xffff in a plain end record means "65,535 or more" when no zip64 record follows: walk the directory.
  let countKnown = count !== 0xffff;
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    // zip64: the real values sit in a second end record that a locator just before this one points at.
    const loc = end - 20;
    if (loc >= 0 && v.getUint32(loc, true) === LOCATOR64) {
      const at = u64(v, loc + 8);
      if (!(at + 56 <= loc) || v.getUint32(at, true) !== END64) corrupt('its zip64 end record is missing');
      count = u64(v, at + 32);
      dirSize = u64(v, at + 40);
      dirOffset = u64(v, at + 48);
      dirLimit = at;
      countKnown = true;
    }
  }
  if (!(dirOffset + dirSize <= dirLimit)) {
    corrupt(
      `its directory is said to lie at byte ${dirOffset} with ${dirSize} bytes, beyond the file's ${bytes.length} bytes`,
    );
  }
  // Every directory entry takes at least 46 bytes: a count the directory cannot hold is a lie.
  if (count * 46 > dirSize) {
    corrupt(`its directory claims ${count} files but has room for at most ${Math.floor(dirSize / 46)}`);
  }
  const tooMany = (n: string): never =>
    fail(
      `holds ${n} files, more than the ${MAX_ZIP_ENTRIES} Paperweight unpacks from one zip; split it into smaller zips or drop the folder`,
    );
  if (countKnown && count > MAX_ZIP_ENTRIES) tooMany(String(count));
  const entries: ZipEntry[] = [];
  let p = dirOffset;
  const dirEnd = dirOffset + dirSize;
  for (let i = 0; countKnown ? i < count : p + 46 <= dirEnd; i++) {
    if (i >= MAX_ZIP_ENTRIES) tooMany(`more than ${MAX_ZIP_ENTRIES}`);
    if (p + 46 > dirEnd || v.getUint32(p, true) !== CENTRAL)
      corrupt(`entry ${i + 1} of its directory is unreadable`);
    const flags = v.getUint16(p + 8, true);
    const method = v.getUint16(p + 10, true);
    let compressedSize = v.getUint32(p + 20, true);
    let size = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    let localOffset = v.getUint32(p + 42, true);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > dirEnd) corrupt(`entry ${i + 1} of its directory runs past the directory's end`);
    const rawName = bytes.subarray(p + 46, p + 46 + nameLen);
    const name = (flags & 0x800 ? utf8 : latin1).decode(rawName);
    // zip64 extra field: the 64-bit sizes and offset, in this order, for the fields that are 0xffffffff.
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen; ) {
      const id = v.getUint16(e, true);
      const len = v.getUint16(e + 2, true);
      if (id === 1) {
        let q = e + 4;
        const take = () => {
          if (q + 8 > e + 4 + len) corrupt(`the zip64 sizes of entry ${i + 1} are cut short`);
          const x = u64(v, q);
          q += 8;
          return x;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      e += 4 + len;
    }
    if (flags & 1) {
      fail(
        'is password-protected; Paperweight cannot open encrypted zips, so zip the files again without a password',
      );
    }
    entries.push({ name, method, compressedSize, size, localOffset });
    p = next;
  }
  return entries;
}

// NumPy .npy: magic \x93NUMPY, version, a little Python-dict header (descr, fortran_order, shape), then the
// raw array. Only the header is parsed as text; the data stays a view of the input bytes.
import { DatasetError } from './types';

export interface NpyArray {
  /** Kind and size without the byte order: 'u1', 'i8', 'f4'... */
  code: string;
  littleEndian: boolean;
  fortran: boolean;
  shape: number[];
  data: Uint8Array;
}

const SIZES: Record<string, number> = {
  b1: 1,
  u1: 1,
  i1: 1,
  u2: 2,
  i2: 2,
  u4: 4,
  i4: 4,
  u8: 8,
  i8: 8,
  f2: 2,
  f4: 4,
  f8: 8,
};
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export function isNpy(head: Uint8Array): boolean {
  return MAGIC.every((b, i) => head[i] === b);
}

export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  if (!isNpy(bytes))
    throw new DatasetError(file, 'wrong magic number: not a NumPy .npy array (it starts with \\x93NUMPY)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (bytes.length < 12) throw new DatasetError(file, 'truncated: the file ends inside the .npy header');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length)
    throw new DatasetError(file, 'truncated: the file ends inside the .npy header');
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*True/.test(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined)
    throw new DatasetError(file, `has an unreadable .npy header: ${header.trim()}`);
  const order = descr[0];
  const code = '<>|='.includes(order) ? descr.slice(1) : descr;
  if (!(code in SIZES)) {
    throw new DatasetError(
      file,
      `holds an array of dtype '${descr}'; only plain numbers (uint8, int, float) can be loaded`,
    );
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number.parseInt(s, 10));
  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * SIZES[code];
  const data = bytes.subarray(start + headerLen);
  if (data.length < need) {
    const per = shape.slice(1).reduce((a, b) => a * b, 1) * SIZES[code];
    throw new DatasetError(
      file,
      `truncated: the header says shape (${shape.join(', ')}) but the file holds ${Math.floor(data.length / per)} of the ${shape[0]} rows`,
    );
  }
  return { code, littleEndian: order !== '>', fortran, shape, data: data.subarray(0, need) };
}

/** The array's values as numbers, whatever the dtype. */
export function npyValues(a: NpyArray): Float64Array | Uint8Array {
  if (a.code === 'u1' || a.code === 'b1') return a.data;
  const n = a.data.length / SIZES[a.code];
  const dv = new DataView(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const le = a.littleEndian;
  const out = new Float64Array(n);
  const get: Record<string, (i: number) => number> = {
    i1: (i) => dv.getInt8(i),
    u2: (i) => dv.getUint16(2 * i, le),
    i2: (i) => dv.getInt16(2 * i, le),
    u4: (i) => dv.getUint32(4 * i, le),
    i4: (i) => dv.getInt32(4 * i, le),
    u8: (i) => Number(dv.getBigUint64(8 * i, le)),
    i8: (i) => Number(dv.getBigInt64(8 * i, le)),
    f2: (i) => halfToFloat(dv.getUint16(2 * i, le)),
    f4: (i) => dv.getFloat32(4 * i, le),
    f8: (i) => dv.getFloat64(8 * i, le),
  };
  const g = get[a.code];
  for (let i = 0; i < n; i++) out[i] = g(i);
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

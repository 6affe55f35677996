// NumPy .npy: magic \x93NUMPY, version, a little Python-dict header (descr, fortran_order, shape), then the
// raw array. Only the header is parsed as text; the data stays a view of the input bytes.
import { excerpt } from './text';
import { DatasetError } from './types';

export interface NpyArray {
  /** Kind and size without the byte order: 'u1', 'i8', 'f4'... */
  code: string;
  littleEndian: boolean;
  fortran: boolean;
  shape: number[];
  data: Uint8Array;
}

/** Bytes per item of the numpy types we read, by kind and size without the byte order (the pickle reader's too). */
export const NUMPY_ITEM_SIZES: Record<string, number> = {
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
  if (major < 1 || major > 3) {
    throw new DatasetError(
      file,
      `is a .npy file of format version ${major}, which NumPy never wrote (1 to 3); the file is damaged`,
    );
  }
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length)
    throw new DatasetError(file, 'truncated: the file ends inside the .npy header');
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*True/.test(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) {
    throw new DatasetError(
      file,
      `has an unreadable .npy header ('${excerpt(header.trim(), 60)}'); save the array again with np.save`,
    );
  }
  const order = descr[0];
  const code = '<>|='.includes(order) ? descr.slice(1) : descr;
  // Own keys only: 'valueOf' or 'constructor' are found `in` any object.
  if (!Object.hasOwn(NUMPY_ITEM_SIZES, code)) {
    throw new DatasetError(
      file,
      `holds an array of type '${excerpt(descr, 20)}'; only plain numbers (uint8, int, float) can be loaded`,
    );
  }
  const parts = shapeText
    .split(',')
    .map((s) => s.trim().replace(/L$/, ''))
    .filter((s) => s.length > 0);
  const shown = `(${parts.map((p) => excerpt(p, 12)).join(', ')})`;
  if (!parts.every((p) => /^\d{1,15}$/.test(p))) {
    throw new DatasetError(
      file,
      `has the shape ${shown} in its .npy header; sizes must be whole numbers from 0, so the file is damaged`,
    );
  }
  const shape = parts.map((p) => Number.parseInt(p, 10));
  if (shape.some((d) => d === 0)) {
    throw new DatasetError(file, `is empty: its shape ${shown} holds no values`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * NUMPY_ITEM_SIZES[code];
  const data = bytes.subarray(start + headerLen);
  if (data.length < need) {
    const per = shape.slice(1).reduce((a, b) => a * b, 1) * NUMPY_ITEM_SIZES[code];
    throw new DatasetError(
      file,
      `truncated: the header says shape (${shape.join(', ')}) but the file holds ${Math.floor(data.length / per)} of the ${shape[0] ?? 1} rows`,
    );
  }
  return { code, littleEndian: order !== '>', fortran, shape, data: data.subarray(0, need) };
}

/** The array's values as numbers, whatever the dtype. */
export function npyValues(a: NpyArray): Float64Array | Uint8Array {
  if (a.code === 'u1' || a.code === 'b1') return a.data;
  const n = a.data.length / NUMPY_ITEM_SIZES[a.code];
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

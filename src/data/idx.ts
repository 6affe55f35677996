// IDX, the format of MNIST, Fashion-MNIST, KMNIST and EMNIST: magic 0x0000 0x08 (unsigned byte) 0x0N (N dims),
// then N big-endian uint32 sizes, then the bytes. Read streaming straight into one preallocated array.
import { type ByteReader, openFile } from './stream';
import { DatasetError, type InputFile } from './types';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = {
  9: 'signed bytes',
  11: 'int16',
  12: 'int32',
  13: 'float32',
  14: 'float64',
};

function hex32(b: Uint8Array): string {
  return `0x${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** Reads an IDX file of `ndim` dims ('images' have 3, 'labels' 1); gz or raw, decided by its magic. */
export async function readIdx(
  file: InputFile,
  kind: 'images' | 'labels',
  onBytes?: (compressedBytes: number) => void,
): Promise<IdxArray> {
  const reader = await openFile(file, onBytes);
  try {
    // DEFLATE expands at most ~1032:1, so no honest file holds more than this: a header that claims more is
    // refused before its array is allocated.
    const most = reader.gzipped ? file.size * 1032 : file.size - 4 - 4 * (kind === 'images' ? 3 : 1);
    return await readIdxFrom(reader, kind, most);
  } finally {
    await reader.cancel();
  }
}

export async function readIdxFrom(
  reader: ByteReader,
  kind: 'images' | 'labels',
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<IdxArray> {
  const name = reader.file;
  const ndim = kind === 'images' ? 3 : 1;
  const magic = await reader.read(4);
  if (magic.length < 4)
    throw new DatasetError(
      name,
      `truncated: the file is ${magic.length} bytes long, too short for an IDX header`,
    );
  if (magic[0] !== 0 || magic[1] !== 0) {
    throw new DatasetError(
      name,
      `wrong magic number ${hex32(magic)}: an IDX ${kind} file starts with 0x0000080${ndim}; this is not an IDX file`,
    );
  }
  if (magic[2] !== 0x08) {
    const type = TYPE_NAMES[magic[2]] ?? `type 0x${magic[2].toString(16)}`;
    throw new DatasetError(
      name,
      `holds IDX values of ${type}; only unsigned bytes (type 0x08) can be loaded`,
    );
  }
  if (magic[3] !== ndim) {
    throw new DatasetError(
      name,
      `wrong magic number ${hex32(magic)}: IDX ${kind} have ${ndim} dimension${ndim > 1 ? 's' : ''} (0x0000080${ndim}) but this file has ${magic[3]}`,
    );
  }
  const header = await reader.read(4 * ndim);
  if (header.length < 4 * ndim)
    throw new DatasetError(name, 'truncated: the file ends inside its IDX header');
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 * i, false));
  const perItem = dims.slice(1).reduce((a, b) => a * b, 1);
  const total = dims[0] * perItem;
  if (kind === 'images' && (dims[1] === 0 || dims[2] === 0 || dims[1] > 4096 || dims[2] > 4096)) {
    throw new DatasetError(
      name,
      `the header says images of ${dims[1]}x${dims[2]}, which is not a usable image size`,
    );
  }
  if (dims[0] === 0) {
    throw new DatasetError(name, `is empty: its header says it holds 0 ${kind}; download the file again`);
  }
  const what = kind === 'images' ? `${dims[0]} images of ${dims[1]}x${dims[2]}` : `${dims[0]} labels`;
  if (total > maxBytes && !reader.gzipped) {
    // Said before allocating: a corrupt header may claim billions of images.
    const held = Math.floor(Math.max(0, maxBytes) / perItem);
    throw new DatasetError(name, `truncated: the header says ${what} but the file holds ${held}`);
  }
  if (total > maxBytes || total > 2 ** 32) {
    throw new DatasetError(
      name,
      `corrupt: the header says ${what} (${total} bytes), more than this file can hold` +
        `${Number.isFinite(maxBytes) ? ` (at most ${maxBytes} bytes)` : ''}; nothing was loaded`,
    );
  }
  const data = new Uint8Array(total);
  const got = await reader.readInto(data, 0, total);
  if (got < total) {
    const held = Math.floor(got / perItem);
    throw new DatasetError(name, `truncated: the header says ${what} but the file holds ${held}`);
  }
  return { dims, data };
}

// The dicts inside the CIFAR Python batches: {data: uint8 array (N, 3072), labels: [N ints]} (CIFAR-100:
// fine_labels and coarse_labels; the fine ones are used, as Keras does by default) and the meta dicts
// {label_names} / {fine_label_names}.
import type { Variant } from './cifar-files';
import { classIndices } from './labels';
import { MAX_CLASSES } from './limits';
import { npyValues } from './npy';
import { type PyArray, type PyValue, pyText, readPickle } from './pickle';
import { excerpt } from './text';
import { DatasetError } from './types';

const MAX_NAME = 200;

function readDict(bytes: Uint8Array, file: string): Map<string, PyValue> {
  if (bytes[0] !== 0x80) {
    const got = Array.from(bytes.subarray(0, 2), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DatasetError(
      file,
      `wrong magic number 0x${got.replace(' ', '')}: not a pickle (a CIFAR Python batch starts with 0x80 0x02)`,
    );
  }
  const v = readPickle(bytes, file);
  if (!(v instanceof Map))
    throw new DatasetError(file, 'holds a pickle that is not a dict, so it is not a CIFAR batch');
  return v;
}

/** The labels under `key`: a list of numbers or a 1-D numpy array of any numeric type; null when neither. */
function intList(v: PyValue | undefined, file: string, key: string): Int32Array | null {
  let values: ArrayLike<number>;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) values = v as number[];
  else if (v && typeof v === 'object' && 'kind' in v && v.kind === 'ndarray' && v.data && v.dtype) {
    if (v.shape.length !== 1) return null;
    const { code, order } = v.dtype;
    values = npyValues({ code, littleEndian: order !== '>', fortran: false, shape: v.shape, data: v.data });
  } else return null;
  return classIndices(values, file, key);
}

export function readCifarBatch(
  bytes: Uint8Array,
  file: string,
  variant: Variant,
): { data: Uint8Array; labels: Int32Array; count: number } {
  const d = readDict(bytes, file);
  const data = d.get('data') as PyArray | undefined;
  const labelKey = variant === 10 ? 'labels' : 'fine_labels';
  if (!data || typeof data !== 'object' || !('kind' in data) || data.kind !== 'ndarray' || !data.data) {
    throw new DatasetError(file, `has no 'data' array, so it is not a CIFAR batch (keys: ${keyList(d)})`);
  }
  if (data.dtype?.code !== 'u1') {
    throw new DatasetError(
      file,
      `has 'data' of numpy type ${excerpt(data.dtype?.code ?? 'unknown', 20)}; CIFAR batches hold uint8 pixels`,
    );
  }
  if (data.shape.length !== 2 || data.shape[1] !== 3072 || data.fortran) {
    throw new DatasetError(
      file,
      `has 'data' of shape (${data.shape.join(', ')}); CIFAR batches hold (N, 3072) rows of 32x32 RGB planes`,
    );
  }
  const labels = intList(d.get(labelKey), file, labelKey);
  if (!labels)
    throw new DatasetError(
      file,
      `has no '${labelKey}' list of integers, so it is not a ${variant === 10 ? 'CIFAR-10' : 'CIFAR-100'} batch`,
    );
  const count = data.shape[0];
  if (labels.length !== count) {
    throw new DatasetError(
      file,
      `holds ${count} images but ${labels.length} labels; they must match one to one`,
    );
  }
  return { data: data.data, labels, count };
}

export function readCifarMeta(bytes: Uint8Array, file: string, variant: Variant): string[] {
  const d = readDict(bytes, file);
  const key = variant === 10 ? 'label_names' : 'fine_label_names';
  const names = d.get(key);
  if (!Array.isArray(names))
    throw new DatasetError(file, `has no '${key}' list, so it is not the CIFAR meta file`);
  if (names.length > MAX_CLASSES) {
    throw new DatasetError(file, `'${key}' lists ${names.length} names, more than ${MAX_CLASSES} classes`);
  }
  // Only strings are names: anything else (a nested list, possibly memo-shared 2^40 times over) is never
  // turned into text.
  return names.map((n, i) => {
    const text = pyText(n);
    if (text === null || text.length > MAX_NAME) {
      throw new DatasetError(
        file,
        `'${key}' holds ${text === null ? 'something other than a string' : `a name of ${text.length} characters`} at position ${i}; it must list class names`,
      );
    }
    return text;
  });
}

function keyList(d: Map<string, PyValue>): string {
  const keys = [...d.keys()];
  const shown = keys.slice(0, 8).map((k) => excerpt(k, 30));
  return `${shown.join(', ')}${keys.length > 8 ? ` and ${keys.length - 8} more` : ''}` || 'none';
}

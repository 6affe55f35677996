// Label range checks shared by every format: a label is an index into the class names.
import { DatasetError } from './types';

/**
 * Label values as int32 class indices. Each must be a whole number that fits, so that 2^32 + 3 is refused
 * rather than wrapped to 3; `key` names the labels' entry in the file when it has several.
 */
export function classIndices(values: ArrayLike<number>, file: string, key?: string): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!(Number.isInteger(x) && x >= 0 && x < 2 ** 31)) {
      throw new DatasetError(
        file,
        `${key ? `'${key}' ` : ''}holds ${x} at index ${i}; labels must be whole numbers from 0 (class indices)`,
      );
    }
    out[i] = x;
  }
  return out;
}

/** Throws naming the file, the first bad label, its image and the valid range. */
export function checkLabels(
  labels: Int32Array,
  count: number,
  classCount: number,
  file: string,
  what: string,
): void {
  for (let i = 0; i < count; i++) {
    const l = labels[i];
    if (l < 0 || l >= classCount) {
      throw new DatasetError(
        file,
        `label ${l} of image ${i} is out of range: ${what} has ${classCount} classes, labels 0-${classCount - 1}`,
      );
    }
  }
}

/** The largest label + 1 over several label arrays; negative labels are refused. */
export function inferClassCount(
  sets: { labels: Int32Array; count: number; file: string }[],
  limit = 10000,
): number {
  let max = -1;
  for (const s of sets) {
    for (let i = 0; i < s.count; i++) {
      const l = s.labels[i];
      if (l < 0)
        throw new DatasetError(s.file, `label ${l} of image ${i} is out of range: labels start at 0`);
      if (l >= limit) {
        throw new DatasetError(
          s.file,
          `label ${l} of image ${i} is out of range: at most ${limit} classes are supported (labels 0-${limit - 1})`,
        );
      }
      if (l > max) max = l;
    }
  }
  return max + 1;
}

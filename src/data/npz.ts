// Keras's .npz caches (mnist.npz; any zip of x_train.npy, y_train.npy, x_test.npy, y_test.npy), and those
// .npy files dropped loose. Images become uint8 NHWC; float images in 0..1 are scaled to 0..255.
import { checkLabels, classIndices, inferClassCount } from './labels';
import { CIFAR10, DIGITS, FASHION_MNIST, numberedNames } from './names';
import { type NpyArray, npyValues, parseNpy } from './npy';
import { nameList } from './text';
import { baseName, type Dataset, DatasetError, type ImageSet, type InputFile } from './types';

interface Images {
  data: Uint8Array;
  n: number;
  h: number;
  w: number;
  c: number;
}

function toImages(a: NpyArray, where: string, notes: string[]): Images {
  if (a.fortran)
    throw new DatasetError(where, 'is stored in Fortran order; save it with np.ascontiguousarray first');
  const s = a.shape;
  let [n, h, w, c] = [s[0], s[1], s[2], s.length === 4 ? s[3] : 1];
  let channelsFirst = false;
  if (s.length === 4 && (s[1] === 1 || s[1] === 3) && s[3] !== 1 && s[3] !== 3) {
    channelsFirst = true;
    [n, c, h, w] = s;
  }
  if ((s.length !== 3 && s.length !== 4) || (c !== 1 && c !== 3)) {
    throw new DatasetError(
      where,
      `has shape (${s.join(', ')}); images must be (N, height, width) or (N, height, width, 1 or 3 channels)`,
    );
  }
  const values = npyValues(a);
  let data: Uint8Array;
  if (values instanceof Uint8Array) {
    data = values;
  } else {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        const at = Math.floor(i / (values.length / n));
        throw new DatasetError(
          where,
          `holds ${v} in image ${at}; pixels must be numbers (0-255, or floats in 0-1), so replace the missing values first (np.nan_to_num)`,
        );
      }
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const isFloat = a.code.startsWith('f');
    const scale = isFloat && max <= 1 && min >= 0 ? 255 : 1;
    if (min < 0 || max * scale > 255) {
      throw new DatasetError(
        where,
        `holds values from ${min} to ${max}; images must be 0-255 (or floats in 0-1), so rescale them first`,
      );
    }
    if (scale === 255) notes.push(`${where} holds floats in 0-1; they were scaled to 0-255.`);
    data = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) data[i] = Math.round(values[i] * scale);
  }
  if (channelsFirst) {
    const out = new Uint8Array(data.length);
    const hw = h * w;
    for (let i = 0; i < n; i++)
      for (let ch = 0; ch < c; ch++)
        for (let p = 0; p < hw; p++) out[(i * hw + p) * c + ch] = data[(i * c + ch) * hw + p];
    data = out;
    notes.push(`${where} is channels-first (N, ${c}, ${h}, ${w}); it was transposed to channels-last.`);
  }
  return { data, n, h, w, c };
}

function toLabels(a: NpyArray, where: string, notes: string[]): Int32Array {
  const s = a.shape;
  const values = npyValues(a);
  if (s.length === 2 && s[1] > 1) {
    // One-hot (N, K): take the argmax, as to_categorical's inverse.
    const [n, k] = s;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 0; j < k; j++) {
        const v = values[i * k + j];
        if (!Number.isFinite(v))
          throw new DatasetError(where, `holds ${v} in row ${i}; one-hot labels must be numbers`);
        if (v > values[i * k + best]) best = j;
      }
      out[i] = best;
    }
    notes.push(`${where} is one-hot (N, ${k}); it was turned into class indices.`);
    return out;
  }
  if (s.length > 2 || (s.length === 2 && s[1] !== 1)) {
    throw new DatasetError(where, `has shape (${s.join(', ')}); labels must be (N,) or (N, 1) integers`);
  }
  return classIndices(values, where);
}

function knownNames(source: string): { name: string; classNames: string[] } | null {
  const s = source.toLowerCase();
  if (s.includes('fashion')) return { name: 'Fashion-MNIST', classNames: FASHION_MNIST };
  if (s.includes('cifar100') || s.includes('cifar-100'))
    return { name: 'CIFAR-100', classNames: numberedNames(100) };
  if (s.includes('cifar')) return { name: 'CIFAR-10', classNames: CIFAR10 };
  if (s.includes('mnist')) return { name: 'MNIST', classNames: DIGITS };
  return null;
}

/** `arrays` maps names like 'x_train' (with or without .npy) to their files. */
export async function loadNpyArrays(files: InputFile[], source: string): Promise<Dataset> {
  const byKey = new Map<string, InputFile>();
  for (const f of files) byKey.set(baseName(f.path).replace(/\.npy$/i, ''), f);
  const notes: string[] = [];
  const present = nameList([...byKey.keys()]) || 'nothing';
  if (!byKey.has('x_train') || !byKey.has('y_train')) {
    throw new DatasetError(
      source,
      `has no x_train and y_train arrays (it holds ${present}); Keras .npz files have both`,
    );
  }
  const load = async (split: 'train' | 'test') => {
    const xf = byKey.get(`x_${split}`);
    const yf = byKey.get(`y_${split}`);
    if (!xf && !yf) return null;
    if (!xf || !yf)
      throw new DatasetError(source, `has ${xf ? 'x' : 'y'}_${split} without ${xf ? 'y' : 'x'}_${split}`);
    const xName = `x_${split}`;
    const yName = `y_${split}`;
    const x = toImages(parseNpy(await xf.bytes(), `${source}/${xName}`), `${source}/${xName}`, notes);
    const y = toLabels(parseNpy(await yf.bytes(), `${source}/${yName}`), `${source}/${yName}`, notes);
    if (x.n !== y.length) {
      throw new DatasetError(
        source,
        `${xName} holds ${x.n} images but ${yName} holds ${y.length} labels; they must match one to one`,
      );
    }
    return { x, set: { images: x.data, labels: y, count: x.n } as ImageSet, yName };
  };
  const train = (await load('train'))!;
  const test = await load('test');
  if (test && (test.x.h !== train.x.h || test.x.w !== train.x.w || test.x.c !== train.x.c)) {
    throw new DatasetError(
      source,
      `x_test holds ${test.x.h}x${test.x.w}x${test.x.c} images but x_train holds ${train.x.h}x${train.x.w}x${train.x.c}`,
    );
  }
  const known = knownNames(source);
  let classNames: string[];
  if (known) {
    classNames = known.classNames;
    for (const s of [train, test])
      if (s) checkLabels(s.set.labels, s.set.count, classNames.length, `${source}/${s.yName}`, known.name);
  } else {
    const sets = [train, test]
      .filter((s) => s !== null)
      .map((s) => ({ ...s.set, file: `${source}/${s.yName}` }));
    classNames = numberedNames(inferClassCount(sets));
  }
  return {
    name: known?.name ?? source.replace(/\.npz$/i, ''),
    source,
    height: train.x.h,
    width: train.x.w,
    channels: train.x.c,
    classNames,
    train: train.set,
    test: test?.set ?? null,
    normalization: { kind: 'scale255' },
    notes,
  };
}

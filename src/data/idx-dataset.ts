// Pairs IDX files by name (train-images-idx3-ubyte[.gz] with train-labels-idx1-ubyte[.gz], t10k-* as the
// test set) and builds a Dataset, naming it after the folder Keras or the download left it in.
import { readIdx } from './idx';
import { checkLabels, inferClassCount } from './labels';
import { DIGITS, FASHION_MNIST, KMNIST, numberedNames } from './names';
import { excerpt, nameList } from './text';
import { baseName, type Dataset, DatasetError, type ImageSet, type InputFile, type Progress } from './types';

const IDX_NAME = /^(.*?)(images|labels)[-.]idx([13])-ubyte(\.gz)?$/i;

export function isIdxName(path: string): boolean {
  return IDX_NAME.test(baseName(path));
}

interface Pair {
  split: 'train' | 'test';
  images?: InputFile;
  labels?: InputFile;
}

function splitOf(prefix: string): 'train' | 'test' | null {
  if (/t10k|test/i.test(prefix)) return 'test';
  if (/train/i.test(prefix)) return 'train';
  return null;
}

function pairFiles(files: InputFile[]): Pair[] {
  const pairs = new Map<string, Pair>();
  for (const f of files) {
    const m = IDX_NAME.exec(baseName(f.path));
    if (!m)
      throw new DatasetError(
        baseName(f.path),
        'is an IDX file, but its name does not say whether it holds images or labels (name it like train-images-idx3-ubyte)',
      );
    const prefix = m[1];
    const kind = m[2].toLowerCase() as 'images' | 'labels';
    const split = splitOf(prefix) ?? 'train';
    const key = prefix.toLowerCase();
    const pair = pairs.get(key) ?? { split };
    if (pair[kind])
      throw new DatasetError(
        baseName(f.path),
        `was dropped twice (also as ${excerpt(pair[kind]?.path ?? '', 80)})`,
      );
    pair[kind] = f;
    pairs.set(key, pair);
  }
  for (const p of pairs.values()) {
    const have = (p.images ?? p.labels)!;
    const other = p.images ? 'labels' : 'images';
    if (!p.images || !p.labels) {
      const wanted = baseName(have.path)
        .replace(/images|labels/i, other)
        .replace(/idx[13]/, other === 'images' ? 'idx3' : 'idx1');
      throw new DatasetError(
        baseName(have.path),
        `no matching ${other} file was dropped with it (${excerpt(wanted.replace(/\.gz$/, ''), 80)}[.gz])`,
      );
    }
  }
  const list = [...pairs.values()];
  for (const split of ['train', 'test'] as const) {
    const same = list.filter((p) => p.split === split);
    if (same.length > 1) {
      throw new DatasetError(
        baseName(same[1].images!.path),
        `more than one ${split} set was dropped (${nameList(same.map((p) => baseName(p.images!.path)))}); drop one dataset at a time`,
      );
    }
  }
  return list;
}

function identify(files: InputFile[]): { name: string; classNames: string[] | null; emnist: boolean } {
  const paths = files.map((f) => f.path.toLowerCase()).join(' ');
  if (paths.includes('emnist')) {
    const variant = /emnist-([a-z]+)/.exec(paths)?.[1];
    return { name: variant ? `EMNIST ${variant}` : 'EMNIST', classNames: null, emnist: true };
  }
  if (paths.includes('fashion')) return { name: 'Fashion-MNIST', classNames: FASHION_MNIST, emnist: false };
  if (paths.includes('kmnist')) return { name: 'KMNIST', classNames: KMNIST, emnist: false };
  // The plain names train-*/t10k-* are MNIST's (Fashion-MNIST and KMNIST reuse them: 10 classes either way).
  const plain = files.every((f) => /^(train|t10k)-/i.test(baseName(f.path)));
  if (plain) return { name: 'MNIST', classNames: DIGITS, emnist: false };
  const stem =
    IDX_NAME.exec(baseName(files[0].path))?.[1].replace(/[-_.]?(train|t10k|test)[-_.]?$/i, '') ?? '';
  return { name: stem || 'IDX dataset', classNames: null, emnist: false };
}

/** EMNIST stores each image transposed (column-major); flip it back so letters stand upright. */
function transposeImages(images: Uint8Array, count: number, h: number, w: number): void {
  const tmp = new Uint8Array(h * w);
  for (let n = 0; n < count; n++) {
    const img = images.subarray(n * h * w, (n + 1) * h * w);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) tmp[x * h + y] = img[y * w + x];
    img.set(tmp);
  }
}

export async function loadIdxDataset(files: InputFile[], onProgress?: Progress): Promise<Dataset> {
  const pairs = pairFiles(files);
  const id = identify(files);
  const totalBytes = files.reduce((a, f) => a + f.size, 0) || 1;
  const doneBytes = new Map<InputFile, number>();
  const tick = (f: InputFile) => (n: number) => {
    doneBytes.set(f, n);
    let sum = 0;
    for (const v of doneBytes.values()) sum += v;
    onProgress?.(Math.min(1, sum / totalBytes), `reading ${baseName(f.path)}`);
  };

  const loaded = await Promise.all(
    pairs.map(async (p) => {
      const [images, labels] = await Promise.all([
        readIdx(p.images!, 'images', tick(p.images!)),
        readIdx(p.labels!, 'labels', tick(p.labels!)),
      ]);
      const imagesName = baseName(p.images!.path);
      const labelsName = baseName(p.labels!.path);
      if (images.dims[0] !== labels.dims[0]) {
        throw new DatasetError(
          labelsName,
          `holds ${labels.dims[0]} labels but ${imagesName} holds ${images.dims[0]} images; they must match one to one`,
        );
      }
      const set: ImageSet = {
        images: images.data,
        labels: Int32Array.from(labels.data),
        count: labels.dims[0],
      };
      return { pair: p, set, h: images.dims[1], w: images.dims[2], imagesName, labelsName };
    }),
  );

  const train = loaded.find((l) => l.pair.split === 'train');
  const test = loaded.find((l) => l.pair.split === 'test');
  const notes: string[] = [];
  const main = train ?? test!;
  if (!train) notes.push('Only test files were dropped: they are used as the training set.');
  if (train && test && (train.h !== test.h || train.w !== test.w)) {
    throw new DatasetError(
      test.imagesName,
      `holds ${test.h}x${test.w} images but ${train.imagesName} holds ${train.h}x${train.w}; both sets must have one size`,
    );
  }
  let classNames = id.classNames;
  for (const l of loaded) {
    if (classNames) checkLabels(l.set.labels, l.set.count, classNames.length, l.labelsName, id.name);
  }
  if (!classNames) {
    classNames = numberedNames(inferClassCount(loaded.map((l) => ({ ...l.set, file: l.labelsName }))));
  }
  if (id.emnist) {
    for (const l of loaded) transposeImages(l.set.images, l.set.count, l.h, l.w);
    notes.push('EMNIST stores images transposed; they were flipped upright.');
  }
  onProgress?.(1, 'done');
  return {
    name: id.name,
    source: files.map((f) => baseName(f.path)).join(', '),
    height: main.h,
    width: main.w,
    channels: 1,
    classNames,
    train: main.set,
    test: train && test ? test.set : null,
    normalization: { kind: 'scale255' },
    notes,
  };
}

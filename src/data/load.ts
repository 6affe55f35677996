// The one entry point: files in, a Dataset out. Detects the format of what was dropped and dispatches.
import { loadCifarArchive, loadCifarFiles } from './cifar-load';
import { type Classified, classify, type Kind } from './detect';
import { loadIdxDataset } from './idx-dataset';
import { loadImageFolder } from './image-folder';
import { loadNpyArrays } from './npz';
import { excerpt, nameList } from './text';
import { baseName, type Dataset, DatasetError, type InputFile, type LoadOptions } from './types';
import { checkDataset } from './validate';
import { unzipOffThread } from './zip';

const FAMILY: Record<Kind, string> = {
  idx: 'IDX files',
  cifar: 'CIFAR batches',
  tar: 'a tar archive',
  npz: 'a .npz file',
  npy: '.npy arrays',
  zip: 'a zip archive',
  image: 'images',
  junk: '',
  unknown: '',
  pickle: '',
};

const KNOWN =
  'Paperweight reads IDX files (MNIST, Fashion-MNIST), CIFAR batches or their .tar.gz, Keras .npz files, and folders or .zip files of images';

/** The dropped folder's name when every file lives in one, else ''. */
function rootFolder(files: InputFile[]): string {
  const first = files[0]?.path.split('/')[0] ?? '';
  return files.every((f) => f.path.includes('/') && f.path.split('/')[0] === first) ? first : '';
}

function describe(files: InputFile[]): string {
  const root = rootFolder(files);
  if (root) return root;
  const names = files.map((f) => baseName(f.path));
  return nameList(names, names.length > 4 ? 3 : 4);
}

export async function loadDataset(files: InputFile[], options: LoadOptions = {}): Promise<Dataset> {
  return checkDataset(await loadFiles(files, options, ''));
}

async function loadFiles(files: InputFile[], options: LoadOptions, container: string): Promise<Dataset> {
  const where = container || rootFolder(files) || 'the chosen folder';
  if (files.length === 0) throw new DatasetError(where, 'is empty: no files arrived');
  options.onProgress?.(0, 'looking at the files');
  const all: Classified[] = await Promise.all(files.map(classify));
  const junk = all.filter((c) => c.kind === 'junk').map((c) => baseName(c.file.path));
  const useful = all.filter((c) => c.kind !== 'junk');
  if (useful.length === 0) {
    throw new DatasetError(
      where,
      `is empty: no images or dataset files in it${junk.length ? ` (only ${nameList(junk)})` : ''}`,
    );
  }
  // An empty dataset file would otherwise read as zero records; an empty image is skipped like any
  // undecodable one, unless nothing but empty files came.
  const empty = useful.find(
    (c) => c.file.size === 0 && (c.kind !== 'image' || useful.every((u) => u.file.size === 0)),
  );
  if (empty) {
    throw new DatasetError(
      baseName(empty.file.path),
      'is empty (0 bytes): the download or copy probably failed; get the file again',
    );
  }
  const images = useful.filter((c) => c.kind === 'image');
  if (images.length > 0) {
    const ignored = useful.filter((c) => c.kind !== 'image').map((c) => c.file.path);
    return loadImageFolder(
      images.map((c) => c.file),
      options,
      container,
      ignored,
    );
  }
  const unknown = useful.find((c) => c.kind === 'unknown' || c.kind === 'pickle');
  if (unknown) {
    const why =
      unknown.kind === 'pickle'
        ? 'is a Python pickle but not a CIFAR batch (data_batch_1..5, test_batch, batches.meta; CIFAR-100: train, test, meta)'
        : `unknown file type: ${KNOWN}`;
    throw new DatasetError(baseName(unknown.file.path), why);
  }
  const kinds = [...new Set(useful.map((c) => c.kind))];
  if (kinds.length > 1) {
    const other = useful.find((c) => c.kind === kinds[1])!;
    throw new DatasetError(
      baseName(other.file.path),
      `is ${FAMILY[kinds[1]]} but ${FAMILY[kinds[0]]} came with it; drop one dataset at a time`,
    );
  }
  const kind = kinds[0];
  const single = ['tar', 'npz', 'zip'].includes(kind);
  if (single && useful.length > 1) {
    throw new DatasetError(
      baseName(useful[1].file.path),
      `came with ${excerpt(baseName(useful[0].file.path), 80)}; drop one archive at a time`,
    );
  }
  const source = describe(useful.map((c) => c.file));
  const ds = await dispatch(kind, useful, options, source);
  if (junk.length)
    ds.notes.push(`Ignored ${junk.length} system file${junk.length > 1 ? 's' : ''}: ${nameList(junk)}.`);
  return ds;
}

async function dispatch(
  kind: Kind,
  useful: Classified[],
  options: LoadOptions,
  source: string,
): Promise<Dataset> {
  const files = useful.map((c) => c.file);
  const progress = options.onProgress;
  switch (kind) {
    case 'idx':
      return { ...(await loadIdxDataset(files, progress)), source };
    case 'cifar':
      return loadCifarFiles(
        useful.map((c) => ({ file: c.file, role: c.role! })),
        source,
        progress,
      );
    case 'tar':
      return loadCifarArchive(files[0], progress);
    case 'npy':
      return loadNpyArrays(files, source);
    case 'npz': {
      const name = baseName(files[0].path);
      progress?.(0, `unpacking ${name}`);
      const inner = await unzipOffThread(await files[0].bytes(), name);
      return loadNpyArrays(inner, name);
    }
    case 'zip': {
      const name = baseName(files[0].path);
      progress?.(0, `unpacking ${name}`);
      const inner = await unzipOffThread(await files[0].bytes(), name);
      if (inner.length > 0 && inner.every((f) => /\.npy$/i.test(f.path))) return loadNpyArrays(inner, name);
      if (inner.length === 0) throw new DatasetError(name, 'is an empty zip archive');
      const ds = await loadFiles(inner, options, name.replace(/\.zip$/i, ''));
      return { ...ds, source: name };
    }
    default:
      throw new DatasetError(source, `unknown file type: ${KNOWN}`);
  }
}

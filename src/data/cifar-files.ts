// Which file of a CIFAR download is which: the binary version (data_batch_N.bin, test_batch.bin,
// batches.meta.txt; CIFAR-100: train.bin, test.bin, fine_label_names.txt) and the Python version
// (data_batch_N, test_batch, batches.meta; CIFAR-100: train, test, meta).
import { baseName } from './types';

export type Variant = 10 | 100;
export type CifarRole =
  | { kind: 'batch'; format: 'bin' | 'py'; variant: Variant; split: 'train' | 'test'; order: number }
  | { kind: 'meta'; format: 'bin' | 'py'; variant: Variant }
  | { kind: 'ignore' };

function folderVariant(path: string): Variant | null {
  const p = path.toLowerCase();
  if (p.includes('cifar-100') || p.includes('cifar100')) return 100;
  if (p.includes('cifar-10') || p.includes('cifar10')) return 10;
  return null;
}

/**
 * The role of a file by name. `loose` names (train, test, meta) only count inside a cifar-100 folder or
 * archive, or when the caller has seen pickle bytes (pickleHint).
 */
export function cifarRole(path: string, pickleHint = false): CifarRole | null {
  const name = baseName(path);
  let m = /^data_batch_(\d+)(\.bin)?$/.exec(name);
  if (m)
    return { kind: 'batch', format: m[2] ? 'bin' : 'py', variant: 10, split: 'train', order: Number(m[1]) };
  m = /^test_batch(\.bin)?$/.exec(name);
  if (m) return { kind: 'batch', format: m[1] ? 'bin' : 'py', variant: 10, split: 'test', order: 0 };
  if (name === 'batches.meta.txt') return { kind: 'meta', format: 'bin', variant: 10 };
  if (name === 'batches.meta') return { kind: 'meta', format: 'py', variant: 10 };
  if (name === 'fine_label_names.txt') return { kind: 'meta', format: 'bin', variant: 100 };
  if (name === 'coarse_label_names.txt') return { kind: 'ignore' };
  m = /^(train|test)\.bin$/.exec(name);
  if (m) return { kind: 'batch', format: 'bin', variant: 100, split: m[1] as 'train' | 'test', order: 0 };
  if (folderVariant(path) === 100 || pickleHint) {
    if (name === 'train' || name === 'test')
      return { kind: 'batch', format: 'py', variant: 100, split: name, order: 0 };
    if (name === 'meta') return { kind: 'meta', format: 'py', variant: 100 };
  }
  if (/^readme\.html?$/i.test(name) && folderVariant(path) !== null) return { kind: 'ignore' };
  return null;
}

/** Class names of a batches.meta.txt / fine_label_names.txt: one per line, blank lines dropped. */
export function parseNamesText(bytes: Uint8Array): string[] {
  return new TextDecoder()
    .decode(bytes)
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

import { describe, expect, it } from 'vitest';
import { fromBytes, fromDataTransferItems, fromFileList } from '../../src/data/adapters';
import { loadDataset } from '../../src/data/load';
import { fixtureBytes } from '../helpers/data';

/** A fake FileSystemEntry tree as Chromium hands it out: directories answer readEntries in batches. */
function fileEntry(fullPath: string, bytes: Uint8Array) {
  const name = fullPath.split('/').pop()!;
  return {
    isFile: true,
    isDirectory: false,
    name,
    fullPath,
    file: (ok: (f: File) => void) => ok(new File([bytes as Uint8Array<ArrayBuffer>], name)),
  };
}
function dirEntry(fullPath: string, children: unknown[], batch = 2) {
  return {
    isFile: false,
    isDirectory: true,
    name: fullPath.split('/').pop()!,
    fullPath,
    createReader: () => {
      let pos = 0;
      return {
        readEntries: (ok: (e: unknown[]) => void) => {
          ok(children.slice(pos, pos + batch));
          pos += batch;
        },
      };
    },
  };
}
const item = (entry: unknown) =>
  ({ kind: 'file', webkitGetAsEntry: () => entry, getAsFile: () => null }) as unknown as DataTransferItem;

describe('adapters', () => {
  it('fromBytes streams the bytes in chunks of the asked size', async () => {
    const f = fromBytes(
      'a.bin',
      Uint8Array.from({ length: 10 }, (_, i) => i),
      4,
    );
    const sizes: number[] = [];
    const reader = f.stream().getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) sizes.push(r.value.length);
    expect(sizes).toEqual([4, 4, 2]);
    expect(f.size).toBe(10);
  });

  it('fromFileList uses webkitRelativePath when the picker gives one', async () => {
    const a = new File([new Uint8Array([1, 2, 3])], 'x.png');
    Object.defineProperty(a, 'webkitRelativePath', { value: 'pets/cats/x.png' });
    const b = new File([new Uint8Array([4])], 'y.npz');
    const files = fromFileList([a, b]);
    expect(files.map((f) => f.path)).toEqual(['pets/cats/x.png', 'y.npz']);
    expect(Array.from(await files[0].bytes())).toEqual([1, 2, 3]);
  });

  it('fromDataTransferItems walks dropped folders through every readEntries batch', async () => {
    const names = [
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
    ];
    const tree = dirEntry(
      '/mnist',
      names.map((n) => fileEntry(`/mnist/${n}`, fixtureBytes(`idx-gz/${n}`))),
      3,
    );
    const files = await fromDataTransferItems([item(tree)]);
    expect(files.map((f) => f.path).sort()).toEqual(names.map((n) => `mnist/${n}`).sort());
    const ds = await loadDataset(files);
    expect(ds.train.count).toBe(20);
    expect(ds.test?.count).toBe(10);
  });
});

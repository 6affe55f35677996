import { describe, expect, it } from 'vitest';
import { fromBytes } from '../../src/data/adapters';
import { loadDataset } from '../../src/data/load';
import { label10, label100, TEST_OFFSET } from '../fixtures/pattern';
import {
  CIFAR10_NAMES,
  fixture,
  fixtureBytes,
  fixtureDir,
  patternMismatches,
  range,
  refusal,
} from '../helpers/data';

describe('CIFAR-10 binary version', () => {
  it('loads the dropped cifar-10-batches-bin folder: batches 1-5 in order, NHWC', async () => {
    const ds = await loadDataset(fixtureDir('cifar-10-batches-bin'));
    expect(ds.name).toBe('CIFAR-10');
    expect([ds.height, ds.width, ds.channels]).toEqual([32, 32, 3]);
    expect(ds.classNames).toEqual(CIFAR10_NAMES);
    expect(ds.train.count).toBe(30);
    expect(ds.test?.count).toBe(5);
    expect(patternMismatches(ds.train, 0, 32, 32, 3)).toEqual([]);
    expect(patternMismatches(ds.test!, TEST_OFFSET, 32, 32, 3)).toEqual([]);
    expect(Array.from(ds.train.labels)).toEqual(range(30).map(label10));
    expect(Array.from(ds.test!.labels)).toEqual(range(5, TEST_OFFSET).map(label10));
  });

  it('loads cifar-10-binary.tar.gz streamed in small chunks, batches put back in order', async () => {
    for (const chunk of [1000, 1 << 20]) {
      const progress: number[] = [];
      const ds = await loadDataset([fixture('cifar-10-binary.tar.gz', 'cifar-10-binary.tar.gz', chunk)], {
        onProgress: (f) => progress.push(f),
      });
      expect(ds.source).toBe('cifar-10-binary.tar.gz');
      expect(ds.train.count).toBe(30);
      expect(patternMismatches(ds.train, 0, 32, 32, 3)).toEqual([]);
      expect(patternMismatches(ds.test!, TEST_OFFSET, 32, 32, 3)).toEqual([]);
      expect(Array.from(ds.train.labels)).toEqual(range(30).map(label10));
      expect(progress.at(-1)).toBe(1);
    }
  });

  it('loads a single batch as a training set without a test set', async () => {
    const ds = await loadDataset([fixture('cifar-10-batches-bin/data_batch_2.bin', 'data_batch_2.bin')]);
    expect(ds.train.count).toBe(6);
    expect(ds.test).toBeNull();
    expect(patternMismatches(ds.train, 6, 32, 32, 3)).toEqual([]);
  });

  it('refuses a batch cut inside a record', async () => {
    const cut = fixtureBytes('cifar-10-batches-bin/data_batch_1.bin').slice(0, 3073 * 4 + 1000);
    const e = await refusal(loadDataset([fromBytes('data_batch_1.bin', cut)]));
    expect(e.message).toBe(
      'data_batch_1.bin: truncated: is not a whole number of records of 3073 bytes (label + 32x32x3) but holds 4 and 1000 bytes of another',
    );
  });

  it('refuses an archive that ends inside a batch', async () => {
    // Re-gzip the first 10000 bytes of the tar (a folder header, then data_batch_1.bin's header at 512 and
    // its data from 1024): a whole gzip stream whose tar is cut inside data_batch_1.bin.
    const { gunzipSync, gzipSync } = await import('node:zlib');
    const tar = gunzipSync(fixtureBytes('cifar-10-binary.tar.gz'));
    const cut = gzipSync(tar.subarray(0, 10000));
    const e = await refusal(loadDataset([fromBytes('cifar-10-binary.tar.gz', cut)]));
    expect(e.message).toMatch(
      /^cifar-10-binary\.tar\.gz: truncated: the archive ends inside cifar-10-batches-bin\/data_batch_1\.bin \(its header says 18438 bytes, 8976 arrived\); download it again$/,
    );
  });

  it('refuses a label out of range', async () => {
    const bytes = fixtureBytes('cifar-10-batches-bin/data_batch_1.bin').slice();
    bytes[3073 * 2] = 11;
    const e = await refusal(loadDataset([fromBytes('data_batch_1.bin', bytes)]));
    expect(e.message).toBe(
      'data_batch_1.bin: label 11 of image 2 is out of range: CIFAR-10 has 10 classes, labels 0-9',
    );
  });

  it('refuses CIFAR-10 and CIFAR-100 files dropped together', async () => {
    const e = await refusal(
      loadDataset([
        fixture('cifar-10-batches-bin/data_batch_1.bin', 'data_batch_1.bin'),
        fixture('cifar-100-binary/train.bin', 'train.bin'),
      ]),
    );
    expect(e.message).toBe(
      'data_batch_1.bin: is a CIFAR-10 file but CIFAR-100 files came with it; load one dataset at a time',
    );
  });
});

describe('CIFAR-100 binary version', () => {
  it('loads the folder and the tarball with fine labels and names', async () => {
    for (const files of [fixtureDir('cifar-100-binary'), [fixture('cifar-100-binary.tar.gz')]]) {
      const ds = await loadDataset(files);
      expect(ds.name).toBe('CIFAR-100');
      expect(ds.classNames).toHaveLength(100);
      expect(ds.classNames[7]).toBe('fine_07');
      expect(ds.train.count).toBe(8);
      expect(ds.test?.count).toBe(4);
      expect(Array.from(ds.train.labels)).toEqual(range(8).map(label100));
      expect(patternMismatches(ds.train, 0, 32, 32, 3)).toEqual([]);
      expect(patternMismatches(ds.test!, TEST_OFFSET, 32, 32, 3)).toEqual([]);
    }
  });
});

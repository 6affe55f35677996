import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fromBytes } from '../../src/data/adapters';
import { loadDataset } from '../../src/data/load';
import { label10, TEST_OFFSET } from '../fixtures/pattern';
import {
  FASHION_NAMES,
  fixture,
  fixtureBytes,
  fixtureDir,
  patternMismatches,
  refusal,
  replaced,
} from '../helpers/data';

describe('IDX files', () => {
  it('loads the raw train and t10k pairs of a dropped folder', async () => {
    const ds = await loadDataset(fixtureDir('idx'));
    expect(ds.name).toBe('MNIST');
    expect(ds.source).toBe('idx');
    expect([ds.height, ds.width, ds.channels]).toEqual([28, 28, 1]);
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(ds.train.count).toBe(20);
    expect(ds.test?.count).toBe(10);
    expect(patternMismatches(ds.train, 0, 28, 28, 1)).toEqual([]);
    expect(patternMismatches(ds.test!, TEST_OFFSET, 28, 28, 1)).toEqual([]);
    expect(Array.from(ds.train.labels)).toEqual(Array.from({ length: 20 }, (_, i) => label10(i)));
    expect(Array.from(ds.test!.labels)).toEqual(
      Array.from({ length: 10 }, (_, i) => label10(TEST_OFFSET + i)),
    );
  });

  it('loads the .gz files the same, whatever the chunk boundaries', async () => {
    for (const chunk of [7, 333, 1 << 20]) {
      const ds = await loadDataset(fixtureDir('idx-gz', chunk));
      expect(ds.train.count).toBe(20);
      expect(patternMismatches(ds.train, 0, 28, 28, 1)).toEqual([]);
      expect(patternMismatches(ds.test!, TEST_OFFSET, 28, 28, 1)).toEqual([]);
    }
  });

  it('loads a train pair alone, with no test set', async () => {
    const files = fixtureDir('idx-gz').filter((f) => f.path.includes('train'));
    const ds = await loadDataset(files);
    expect(ds.train.count).toBe(20);
    expect(ds.test).toBeNull();
  });

  it('names Fashion-MNIST classes when the files sit in its Keras cache folder', async () => {
    const files = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'].map((n) =>
      fixture(`idx-gz/${n}`, `fashion-mnist/${n}`),
    );
    const ds = await loadDataset(files);
    expect(ds.name).toBe('Fashion-MNIST');
    expect(ds.classNames).toEqual(FASHION_NAMES);
  });

  it('flips EMNIST images upright (they are stored transposed)', async () => {
    const files = [
      fixture('idx/train-images-idx3-ubyte', 'emnist-digits-train-images-idx3-ubyte'),
      fixture('idx/train-labels-idx1-ubyte', 'emnist-digits-train-labels-idx1-ubyte'),
    ];
    const ds = await loadDataset(files);
    expect(ds.name).toBe('EMNIST digits');
    const raw = fixtureBytes('idx/train-images-idx3-ubyte').subarray(16);
    // Pixel (y, x) of the result is pixel (x, y) of the file.
    expect(ds.train.images[3 * 28 + 5]).toBe(raw[5 * 28 + 3]);
    expect(ds.train.images[3 * 28 + 5]).not.toBe(raw[3 * 28 + 5]);
    expect(ds.notes.join(' ')).toMatch(/transposed/);
  });

  it('refuses a wrong magic number, naming the file', async () => {
    const bytes = fixtureBytes('idx/train-labels-idx1-ubyte').slice();
    bytes.set([0x12, 0x34, 0x56, 0x78]);
    const files = replaced(fixtureDir('idx'), 'idx/train-labels-idx1-ubyte', bytes);
    const e = await refusal(loadDataset(files));
    expect(e.file).toBe('train-labels-idx1-ubyte');
    expect(e.message).toBe(
      'train-labels-idx1-ubyte: wrong magic number 0x12345678: an IDX labels file starts with 0x00000801; this is not an IDX file',
    );
  });

  it('refuses labels given as images (dimension count in the magic)', async () => {
    const files = [
      fixture('idx/train-labels-idx1-ubyte', 'train-images-idx3-ubyte'),
      fixture('idx/train-labels-idx1-ubyte'),
    ];
    const e = await refusal(loadDataset(files));
    expect(e.message).toMatch(
      /^train-images-idx3-ubyte: wrong magic number 0x00000801: IDX images have 3 dimensions/,
    );
  });

  it('refuses a truncated file: the header count against what the file holds', async () => {
    const full = fixtureBytes('idx/train-images-idx3-ubyte');
    const cut = full.slice(0, 16 + 12 * 784 + 100);
    const files = replaced(fixtureDir('idx'), 'idx/train-images-idx3-ubyte', cut);
    const e = await refusal(loadDataset(files));
    expect(e.message).toBe(
      'train-images-idx3-ubyte: truncated: the header says 20 images of 28x28 but the file holds 12',
    );
  });

  it('refuses a cut-short .gz, naming the file', async () => {
    const gz = gzipSync(fixtureBytes('idx/train-images-idx3-ubyte'));
    const files = replaced(
      fixtureDir('idx-gz'),
      'idx-gz/train-images-idx3-ubyte.gz',
      gz.subarray(0, gz.length - 40),
    );
    const e = await refusal(loadDataset(files));
    expect(e.file).toBe('train-images-idx3-ubyte.gz');
    expect(e.reason).toMatch(/truncated|cut short/);
  });

  it('refuses images and labels that disagree in count', async () => {
    const files = replaced(
      fixtureDir('idx'),
      'idx/train-labels-idx1-ubyte',
      fixtureBytes('idx/t10k-labels-idx1-ubyte'),
    );
    const e = await refusal(loadDataset(files));
    expect(e.message).toBe(
      'train-labels-idx1-ubyte: holds 10 labels but train-images-idx3-ubyte holds 20 images; they must match one to one',
    );
  });

  it('refuses labels out of range', async () => {
    const bytes = fixtureBytes('idx/train-labels-idx1-ubyte').slice();
    bytes[8 + 3] = 12;
    const files = replaced(fixtureDir('idx'), 'idx/train-labels-idx1-ubyte', bytes);
    const e = await refusal(loadDataset(files));
    expect(e.message).toBe(
      'train-labels-idx1-ubyte: label 12 of image 3 is out of range: MNIST has 10 classes, labels 0-9',
    );
  });

  it('refuses an images file without its labels file', async () => {
    const e = await refusal(loadDataset([fixture('idx-gz/train-images-idx3-ubyte.gz')]));
    expect(e.message).toMatch(
      /^train-images-idx3-ubyte\.gz: no matching labels file .*train-labels-idx1-ubyte/,
    );
  });

  it('recognises IDX bytes under another name and says how to name them', async () => {
    const e = await refusal(loadDataset([fixture('idx/train-labels-idx1-ubyte', 'digits.dat')]));
    expect(e.message).toMatch(
      /^digits\.dat: is an IDX file, but its name does not say whether it holds images or labels/,
    );
  });

  it('refuses a file of unknown type', async () => {
    const e = await refusal(loadDataset([fromBytes('notes.docx', new TextEncoder().encode('hello world'))]));
    expect(e.file).toBe('notes.docx');
    expect(e.reason).toMatch(/^unknown file type/);
  });
});

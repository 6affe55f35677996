import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fromBytes } from '../../src/data/adapters';
import { loadDataset } from '../../src/data/load';
import { label10, pixel, TEST_OFFSET } from '../fixtures/pattern';
import { fixture, fixtureBytes, patternMismatches, refusal } from '../helpers/data';

/** The fixture's mnist.npz with some arrays replaced (or removed with null). */
function mnistNpzWith(changes: Record<string, Uint8Array | null>): Uint8Array {
  const entries = unzipSync(fixtureBytes('npz/mnist.npz'));
  for (const [k, v] of Object.entries(changes)) {
    if (v) entries[k] = v as Uint8Array<ArrayBuffer>;
    else delete entries[k];
  }
  return zipSync(entries);
}

describe('Keras .npz caches', () => {
  it("loads Keras's mnist.npz (savez_compressed, uint8)", async () => {
    const ds = await loadDataset([fixture('npz/mnist.npz', 'mnist.npz')]);
    expect(ds.name).toBe('MNIST');
    expect(ds.source).toBe('mnist.npz');
    expect([ds.height, ds.width, ds.channels]).toEqual([28, 28, 1]);
    expect(ds.train.count).toBe(20);
    expect(ds.test?.count).toBe(10);
    expect(patternMismatches(ds.train, 0, 28, 28, 1)).toEqual([]);
    expect(patternMismatches(ds.test!, TEST_OFFSET, 28, 28, 1)).toEqual([]);
    expect(Array.from(ds.train.labels)).toEqual(Array.from({ length: 20 }, (_, i) => label10(i)));
  });

  it('loads float images in 0-1 and (N, 1) int64 labels from any .npz', async () => {
    const ds = await loadDataset([fixture('npz/shapes.npz', 'shapes.npz')]);
    expect(ds.name).toBe('shapes');
    expect([ds.height, ds.width, ds.channels]).toEqual([8, 8, 3]);
    expect(ds.classNames).toEqual(['0', '1', '2']);
    expect(ds.test).toBeNull();
    expect(patternMismatches(ds.train, 0, 8, 8, 3)).toEqual([]);
    expect(Array.from(ds.train.labels)).toEqual(Array.from({ length: 12 }, (_, i) => i % 3));
    expect(ds.notes.join(' ')).toMatch(/floats in 0-1; they were scaled/);
  });

  it('loads the .npy files dropped loose', async () => {
    const entries = unzipSync(fixtureBytes('npz/mnist.npz'));
    const files = Object.entries(entries).map(([k, v]) => fromBytes(`mnist/${k}`, v));
    const ds = await loadDataset(files);
    expect(ds.train.count).toBe(20);
    expect(pixel(3, 4, 5, 0)).toBe(ds.train.images[3 * 784 + 4 * 28 + 5]);
  });

  it('refuses an .npz without x_train, listing what it holds', async () => {
    const bytes = mnistNpzWith({ 'x_train.npy': null });
    const e = await refusal(loadDataset([fromBytes('mnist.npz', bytes)]));
    expect(e.message).toBe(
      'mnist.npz: has no x_train and y_train arrays (it holds y_train, x_test, y_test); Keras .npz files have both',
    );
  });

  it('refuses x and y that disagree in count', async () => {
    const y = unzipSync(fixtureBytes('npz/mnist.npz'))['y_test.npy'];
    const e = await refusal(loadDataset([fromBytes('mnist.npz', mnistNpzWith({ 'y_train.npy': y }))]));
    expect(e.message).toBe(
      'mnist.npz: x_train holds 20 images but y_train holds 10 labels; they must match one to one',
    );
  });

  it('refuses a truncated array and a wrong magic number', async () => {
    const x = unzipSync(fixtureBytes('npz/mnist.npz'))['x_train.npy'];
    let e = await refusal(
      loadDataset([fromBytes('mnist.npz', mnistNpzWith({ 'x_train.npy': x.subarray(0, 128 + 784 * 3) }))]),
    );
    expect(e.message).toBe(
      'mnist.npz/x_train: truncated: the header says shape (20, 28, 28) but the file holds 3 of the 20 rows',
    );
    const bad = x.slice();
    bad[0] = 0x42;
    e = await refusal(loadDataset([fromBytes('mnist.npz', mnistNpzWith({ 'x_train.npy': bad }))]));
    expect(e.message).toMatch(/^mnist\.npz\/x_train: wrong magic number: not a NumPy \.npy array/);
  });

  it('refuses labels out of range', async () => {
    const y = unzipSync(fixtureBytes('npz/mnist.npz'))['y_train.npy'].slice();
    y[y.length - 1] = 10; // the last label (uint8 data ends the file)
    const e = await refusal(loadDataset([fromBytes('mnist.npz', mnistNpzWith({ 'y_train.npy': y }))]));
    expect(e.message).toBe(
      'mnist.npz/y_train: label 10 of image 19 is out of range: MNIST has 10 classes, labels 0-9',
    );
  });

  it('refuses a damaged zip', async () => {
    const bytes = fixtureBytes('npz/mnist.npz').slice(0, 500);
    const e = await refusal(loadDataset([fromBytes('mnist.npz', bytes)]));
    expect(e.message).toMatch(/^mnist\.npz: is not a readable zip archive/);
  });
});

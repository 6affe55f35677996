// The rest of the Trainer API on small models: activations, trainOnBatch (partial batches), predict in
// chunks, weights in and out, learning-rate changes, validation_split, RGB with mean/std and resizing,
// memory accounting and the errors a caller can hit.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/data/types';
import { createContext, type GpuContext } from '../../src/gpu/context';
import { Activation, Conv2D, Dense, Flatten, MaxPooling2D } from '../../src/model/factories';
import { Rng } from '../../src/model/random';
import { Sequential } from '../../src/model/sequential';
import type { TrainingConfig } from '../../src/model/training-config';
import { Trainer } from '../../src/train';
import { nodeGpu } from '../helpers/node-gpu';
import { randomImageSet } from '../helpers/random-data';
import { MNIST_CLASSES, trainingConfig } from './train-data';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = createContext((await nodeGpu()).device);
});

const small = () =>
  new Sequential(
    [
      Conv2D({ filters: 3, kernel_size: 3, activation: 'relu' }),
      MaxPooling2D({ pool_size: 2 }),
      Flatten(),
      Dense({ units: 10, activation: 'softmax' }),
    ],
    'small',
    [12, 12, 1],
  ).build();

const cfg = (over: Partial<TrainingConfig> = {}): TrainingConfig =>
  trainingConfig({ name: 'sgd', learning_rate: 0.1 }, 8, over);

const randomSet = (count: number, bytes: number, classes: number, seed: number): ImageSet =>
  randomImageSet(count, bytes, classes, new Rng(seed));

const gray12 = (train: ImageSet, over: Record<string, unknown> = {}) => ({
  height: 12,
  width: 12,
  channels: 1,
  classNames: MNIST_CLASSES,
  normalization: { kind: 'scale255' as const },
  train,
  ...over,
});

describe('Trainer API', () => {
  it("activations: every layer's output for one sample; the last is predict's probabilities", async () => {
    const t = await Trainer.create(ctx, small(), cfg());
    const data = randomSet(20, 144, 10, 1);
    t.setDataset(gray12(data));
    const image = data.images.subarray(144 * 3, 144 * 4);
    const acts = await t.activations(image);
    expect(acts.map((a) => [a.layerName, a.shape])).toEqual([
      ['conv2d', [10, 10, 3]],
      ['max_pooling2d', [5, 5, 3]],
      ['flatten', [75]],
      ['dense', [10]],
    ]);
    for (const a of acts) expect(a.data).toHaveLength(a.shape.reduce((x, y) => x * y, 1));
    expect(acts[0].data.every((v) => v >= 0)).toBe(true);
    expect(acts[0].data.some((v) => v > 0)).toBe(true);
    // Max pooling of the conv map, and Flatten is the same numbers.
    const conv = acts[0].data;
    expect(acts[1].data[0]).toBe(Math.max(conv[0], conv[3], conv[30], conv[33]));
    expect(Array.from(acts[2].data)).toEqual(Array.from(acts[1].data));
    const probs = await t.predict(image, 1);
    expect(Array.from(acts[3].data)).toEqual(Array.from(probs));
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    t.destroy();
  });

  it('trainOnBatch on a partial batch: the loss is the mean over its real rows, before the update', async () => {
    const t = await Trainer.create(ctx, small(), cfg());
    const data = randomSet(5, 144, 10, 2);
    const probs = await t.predict(data.images, 5);
    let expected = 0;
    for (let i = 0; i < 5; i++) expected -= Math.log(probs[i * 10 + data.labels[i]]);
    expected /= 5;
    const r = await t.trainOnBatch(data.images, data.labels, 5);
    expect(r.loss).toBeCloseTo(expected, 5);
    expect(t.stepsDone).toBe(1);
    const after = await t.predict(data.images, 5);
    let lossAfter = 0;
    for (let i = 0; i < 5; i++) lossAfter -= Math.log(after[i * 10 + data.labels[i]]);
    expect(lossAfter / 5).toBeLessThan(expected);
    await expect(t.trainOnBatch(data.images, data.labels, 9)).rejects.toThrow(/1 to 8 samples/);
    await expect(t.trainOnBatch(data.images, Int32Array.from([0, 1, 2, 3, 10]), 5)).rejects.toThrow(
      /label 10 of sample 4/,
    );
    await expect(t.predict(data.images, 6)).rejects.toThrow(/6 samples need 864 bytes/);
    t.destroy();
  });

  it('setLearningRate scales the next SGD update; weights round-trip in Keras layout', async () => {
    const t = await Trainer.create(ctx, small(), cfg(), { seed: 9 });
    const data = randomSet(8, 144, 10, 3);
    const w0 = await t.getWeights();
    expect(w0.map((w) => `${w.name}:${w.shape}`)).toEqual([
      'conv2d/kernel:3,3,1,3',
      'conv2d/bias:3',
      'dense/kernel:75,10',
      'dense/bias:10',
    ]);
    const deltas: Float32Array[] = [];
    for (const lr of [0.1, 0.3]) {
      t.setWeights(w0);
      t.setLearningRate(lr);
      await t.trainOnBatch(data.images, data.labels, 8);
      const w = await t.getWeights();
      deltas.push(w[2].data.map((v, i) => v - w0[2].data[i]));
    }
    let checked = 0;
    for (let i = 0; i < deltas[0].length; i++) {
      if (Math.abs(deltas[0][i]) > 1e-4) {
        expect(deltas[1][i] / deltas[0][i]).toBeCloseTo(3, 2);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(() => t.setLearningRate(-1)).toThrow(/positive number/);
    expect(() => t.setWeights(w0.slice(0, 2))).toThrow(/do not fit this model/);
    t.destroy();
  });

  it('predict in chunks larger than a batch equals predicting one by one', async () => {
    const t = await Trainer.create(ctx, small(), cfg(), { seed: 3 });
    const data = randomSet(19, 144, 10, 4);
    const all = await t.predict(data.images, 19);
    for (const i of [0, 8, 17, 18]) {
      const one = await t.predict(data.images.subarray(i * 144, (i + 1) * 144), 1);
      for (let k = 0; k < 10; k++) expect(all[i * 10 + k]).toBeCloseTo(one[k], 6);
    }
    t.destroy();
  });

  it('RGB with mean/std resized into the input, validation_split, memory released by destroy', async () => {
    const before = ctx.arena.bytesInUse;
    const rgb = new Sequential(
      [
        Conv2D({ filters: 4, kernel_size: 3, activation: 'relu' }),
        Flatten(),
        Dense({ units: 3, activation: 'softmax' }),
      ],
      'rgb',
      [8, 8, 3],
    ).build();
    const t = await Trainer.create(
      ctx,
      rgb,
      cfg({ validation_split: 0.25, optimizer: { name: 'rmsprop', learning_rate: 0.01 } }),
    );
    const train = randomSet(40, 16 * 16 * 3, 3, 5);
    t.setDataset({
      height: 16,
      width: 16,
      channels: 3,
      classNames: ['a', 'b', 'c'],
      normalization: { kind: 'meanstd', mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] },
      train,
    });
    expect(t.memoryBytes).toBeGreaterThan(train.images.length);
    const h = await t.fit({ epochs: 2 });
    expect(h.epochs).toHaveLength(2);
    expect(Number.isFinite(h.epochs[1].val_loss)).toBe(true);
    const v = await t.evaluate('val');
    expect(v.confusion.reduce((a, b) => a + b, 0)).toBe(10);
    await expect(t.evaluate('test')).rejects.toThrow(/no test set/);
    expect(() => t.setDataset({ ...gray12(randomSet(2, 144, 3, 1)), classNames: ['a', 'b', 'c'] })).toThrow(
      /expects RGB input \(8, 8, 3\) but the dataset is grayscale/,
    );
    t.destroy();
    expect(ctx.arena.bytesInUse).toBe(before);
  });

  it('trains a model ending in linear logits (from_logits=True) or in an Activation softmax layer', async () => {
    const data = randomSet(8, 144, 10, 7);
    const heads = [
      { layers: [Flatten(), Dense({ units: 10 })], from_logits: true },
      {
        layers: [Flatten(), Dense({ units: 10 }), Activation({ activation: 'softmax' })],
        from_logits: false,
      },
    ];
    for (const { layers, from_logits } of heads) {
      const model = new Sequential(layers, 'head', [12, 12, 1]).build();
      const t = await Trainer.create(ctx, model, { ...cfg(), from_logits });
      const first = await t.trainOnBatch(data.images, data.labels, 8);
      let last = first;
      for (let i = 0; i < 5; i++) last = await t.trainOnBatch(data.images, data.labels, 8);
      expect(last.loss).toBeLessThan(first.loss);
      const probs = await t.predict(data.images, 8);
      for (let r = 0; r < 8; r++)
        expect(probs.subarray(r * 10, r * 10 + 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      t.destroy();
    }
  });

  it('uploads a set given as both validation and test data once', async () => {
    const shared = randomSet(50, 144, 10, 8);
    const copy = { ...shared, images: shared.images.slice() };
    const t = await Trainer.create(ctx, small(), cfg());
    t.setDataset(gray12(randomSet(16, 144, 10, 9), { val: shared, test: copy }));
    const separate = t.memoryBytes;
    t.setDataset(gray12(randomSet(16, 144, 10, 9), { val: shared, test: shared }));
    expect(separate - t.memoryBytes).toBeGreaterThanOrEqual(50 * 144);
    const [v, te] = [await t.evaluate('val'), await t.evaluate('test')];
    expect(te.loss).toBe(v.loss);
    t.destroy();
  });

  it('refuses a second fit while one runs, and fit without a dataset', async () => {
    const t = await Trainer.create(ctx, small(), cfg());
    await expect(t.fit({ epochs: 1 })).rejects.toThrow(/call setDataset before fit/);
    t.setDataset(gray12(randomSet(64, 144, 10, 6)));
    const first = t.fit({ epochs: 2 });
    await expect(t.fit({ epochs: 1 })).rejects.toThrow(/training is running; stop it first/);
    expect(() => t.setDataset(gray12(randomSet(8, 144, 10, 6)))).toThrow(/training is running/);
    await first;
    t.destroy();
    await expect(t.fit({ epochs: 1 })).rejects.toThrow(/destroyed/);
  });
});

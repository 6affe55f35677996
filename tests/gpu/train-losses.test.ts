// The losses and callbacks through the whole trainer on real MNIST: one sigmoid unit with
// binary_crossentropy on 0-vs-1 digits, categorical_crossentropy (labels one-hot encoded on the GPU) against
// the sparse loss, mean squared error, refusals, and fit's Keras callbacks acting on a real run.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/data/types';
import { createContext, type GpuContext } from '../../src/gpu/context';
import type { CallbackConfig, TrainingConfig } from '../../src/model/training-config';
import { Trainer } from '../../src/train';
import { nodeGpu } from '../helpers/node-gpu';
import { MNIST_CLASSES, mnistDataset, mnistMlp, mnistSubset, trainingConfig } from './train-data';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = createContext((await nodeGpu()).device);
});

const mlp = (units: number, activation: string) => mnistMlp(32, units, activation);

const cfg = (over: Partial<TrainingConfig> = {}): TrainingConfig =>
  trainingConfig({ name: 'adam', learning_rate: 0.005 }, 32, over);

const dataset = (train: ImageSet, test: ImageSet, classNames = MNIST_CLASSES) =>
  mnistDataset(train, { val: test, test, classNames });

/** Only the samples labelled 0 or 1. */
function zerosAndOnes(set: ImageSet): ImageSet {
  const keep = [...set.labels.keys()].filter((i) => set.labels[i] < 2);
  const images = new Uint8Array(keep.length * 784);
  keep.forEach((i, k) => {
    images.set(set.images.subarray(i * 784, (i + 1) * 784), k * 784);
  });
  return { images, labels: Int32Array.from(keep, (i) => set.labels[i]), count: keep.length };
}

describe('losses through the trainer', () => {
  it('one sigmoid unit + binary_crossentropy learns 0 vs 1; scores are [1 - p, p]', async () => {
    const train = zerosAndOnes(mnistSubset(800));
    const test = zerosAndOnes(mnistSubset(400, 0, 't10k'));
    const t = await Trainer.create(ctx, mlp(1, 'sigmoid'), cfg({ loss: 'binary_crossentropy' }), { seed: 2 });
    t.setDataset(dataset(train, test, ['zero', 'one']));
    expect(t.reported).toEqual({ accuracy: 'accuracy', kind: 'binary_accuracy' });
    const h = await t.fit({ epochs: 2 });
    const ev = await t.evaluate('test');
    expect(h.epochs[1].loss).toBeLessThan(h.epochs[0].loss);
    expect(ev.accuracy).toBeGreaterThan(0.97);
    // Confusion matrix over the two classes holds every test sample.
    expect(ev.confusion.reduce((a, b) => a + b, 0)).toBe(test.count);
    const probs = await t.predict(test.images, 4);
    for (let r = 0; r < 4; r++) expect(probs[2 * r] + probs[2 * r + 1]).toBeCloseTo(1, 6);
    const acts = await t.activations(test.images.subarray(0, 784));
    expect(acts[acts.length - 1].data).toHaveLength(1);
    expect(acts[acts.length - 1].data[0]).toBeCloseTo(probs[1], 6);
    // Labels outside 0/1 do not fit a one-unit output.
    expect(() => t.setDataset(dataset(mnistSubset(50), test))).toThrow(
      /the dataset has 10 classes but the model's last layer has one unit \(binary: labels 0 and 1\)/,
    );
    t.destroy();
  });

  it('categorical_crossentropy (one-hot on the GPU) gives the sparse loss for the same weights and learns', async () => {
    const data = dataset(mnistSubset(600), mnistSubset(200, 0, 't10k'));
    const sparse = await Trainer.create(ctx, mlp(10, 'softmax'), cfg(), { seed: 4 });
    const dense = await Trainer.create(
      ctx,
      mlp(10, 'softmax'),
      cfg({ loss: 'categorical_crossentropy', metrics: ['categorical_accuracy'] }),
      { seed: 4 },
    );
    expect(dense.reported).toEqual({ accuracy: 'categorical_accuracy', kind: 'categorical_accuracy' });
    expect(sparse.reported.kind).toBe('sparse_categorical_accuracy');
    sparse.setDataset(data);
    dense.setDataset(data);
    const [a, b] = [await sparse.evaluate('test'), await dense.evaluate('test')];
    expect(b.loss).toBeCloseTo(a.loss, 5);
    expect(b.accuracy).toBe(a.accuracy);
    await dense.fit({ epochs: 3 });
    expect((await dense.evaluate('test')).accuracy).toBeGreaterThan(0.75);
    sparse.destroy();
    dense.destroy();
  });

  it('mean_squared_error on a softmax output learns with argmax accuracy', async () => {
    const t = await Trainer.create(
      ctx,
      mlp(10, 'softmax'),
      cfg({ loss: 'mean_squared_error', metrics: [] }),
      {
        seed: 6,
      },
    );
    // metrics=[]: Keras logs only the loss.
    expect(t.reported).toEqual({ accuracy: null, kind: 'categorical_accuracy' });
    t.setDataset(dataset(mnistSubset(600), mnistSubset(200, 0, 't10k')));
    const before = await t.evaluate('test');
    const h = await t.fit({ epochs: 3 });
    const after = await t.evaluate('test');
    expect(h.epochs[2].loss).toBeLessThan(h.epochs[0].loss);
    expect(after.loss).toBeLessThan(before.loss);
    expect(after.accuracy).toBeGreaterThan(0.6);
    t.destroy();
  });

  it('refuses model/loss pairs that cannot learn before making any buffer', async () => {
    const bytes = ctx.arena.bytesInUse;
    await expect(Trainer.create(ctx, mlp(1, 'softmax'), cfg())).rejects.toThrow(/cannot learn/);
    await expect(Trainer.create(ctx, mlp(10, 'sigmoid'), cfg())).rejects.toThrow(/binary_crossentropy/);
    await expect(Trainer.create(ctx, mlp(10, 'linear'), cfg())).rejects.toThrow(/from_logits=True/);
    expect(ctx.arena.bytesInUse).toBe(bytes);
  });
});

describe("fit's Keras callbacks on a real run", () => {
  it('LearningRateScheduler sets each epoch rate; EarlyStopping stops and restores the best weights', async () => {
    const halve: CallbackConfig = {
      kind: 'LearningRateScheduler',
      source: 'lambda epoch, lr: lr / 2',
      schedule: { op: '/', a: { op: 'var', name: 'lr' }, b: { op: 'num', value: 2 } },
    };
    // A min_delta no loss can beat: epoch 0 is the best, epoch 1 exhausts patience 1.
    const early: CallbackConfig = {
      kind: 'EarlyStopping',
      monitor: 'val_loss',
      min_delta: 100,
      patience: 1,
      mode: 'auto',
      restore_best_weights: true,
      start_from_epoch: 0,
    };
    const t = await Trainer.create(ctx, mlp(10, 'softmax'), cfg({ callbacks: [halve, early] }), { seed: 8 });
    t.setDataset(dataset(mnistSubset(320), mnistSubset(100, 0, 't10k')));
    const h = await t.fit({ epochs: 5 });
    // The rate lives in the STEP state as float32.
    expect(h.epochs.map((e) => e.learning_rate)).toEqual([Math.fround(0.0025), Math.fround(0.00125)]);
    expect(t.learningRate).toBe(Math.fround(0.00125));
    expect(h.earlyStop).toEqual({
      epoch: 1,
      monitor: 'val_loss',
      best: h.epochs[0].val_loss,
      bestEpoch: 0,
      restored: true,
    });
    // The weights are epoch 0's again: evaluating gives epoch 0's validation loss, not epoch 1's.
    const ev = await t.evaluate('test');
    expect(ev.loss).toBeCloseTo(h.epochs[0].val_loss as number, 5);
    expect(Math.abs(ev.loss - (h.epochs[1].val_loss as number))).toBeGreaterThan(1e-3);
    t.destroy();
  });
});

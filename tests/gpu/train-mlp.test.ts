// Whole-network training of a small MLP on real MNIST samples: learning, Keras-style history and callbacks,
// the hot-path guarantees (no buffer or bind-group creation per step, one submit per step), pause / resume /
// stop between steps, divergence handling, and evaluate / predict / activations / weights.
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext, type GpuContext } from '../../src/gpu/context';
import type { TrainingConfig } from '../../src/model/training-config';
import { type BatchEnd, Trainer, TrainingDivergedError } from '../../src/train';
import { nodeGpu } from '../helpers/node-gpu';
import { mnistDataset, mnistMlp, mnistSubset, trainingConfig } from './train-data';

const mlp = () => mnistMlp(32);

const config = (over: Partial<TrainingConfig> = {}): TrainingConfig =>
  trainingConfig({ name: 'adam', learning_rate: 0.005 }, 32, over);

const dataset = (train = mnistSubset(600), test = mnistSubset(200, 0, 't10k')) =>
  mnistDataset(train, { val: test, test });

let ctx: GpuContext;
beforeAll(async () => {
  ctx = createContext((await nodeGpu()).device);
});

describe('Trainer on an MLP', () => {
  it('learns MNIST: loss falls, held-out accuracy rises, Keras-style history and callbacks', async () => {
    const t = await Trainer.create(ctx, mlp(), config(), { seed: 1 });
    t.setDataset(dataset());
    const before = await t.evaluate('test');
    const batches: BatchEnd[] = [];
    const h = await t.fit({ epochs: 4, callbacks: { onBatchEnd: (b) => batches.push(b) } });
    expect(h.stopped).toBe(false);
    expect(h.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);
    const [first, , , last] = h.epochs;
    expect(last.loss).toBeLessThan(first.loss * 0.6);
    expect(last.val_accuracy).toBeGreaterThan(0.75);
    expect(before.accuracy).toBeLessThan(0.3);
    // Every epoch's last batch is read, so onBatchEnd reports it with the batch count.
    expect(batches.filter((b) => b.batch === b.batchesPerEpoch)).toHaveLength(4);
    expect(batches.every((b) => b.batchesPerEpoch === Math.ceil(600 / 32) && b.samplesPerSec > 0)).toBe(true);
    expect(t.stepsDone).toBe(4 * Math.ceil(600 / 32));
    const ev = await t.evaluate('test');
    expect(ev.accuracy).toBeCloseTo(last.val_accuracy!, 5);
    expect(ev.loss).toBeCloseTo(last.val_loss!, 4);
    // Confusion matrix: rows are true labels, every test sample counted once, its trace is the accuracy.
    const test = mnistSubset(200, 0, 't10k');
    let trace = 0;
    for (let k = 0; k < 10; k++) {
      trace += ev.confusion[k * 10 + k];
      const rowSum = ev.confusion.slice(k * 10, k * 10 + 10).reduce((a, b) => a + b, 0);
      expect(rowSum).toBe(test.labels.filter((l) => l === k).length);
    }
    expect(trace / 200).toBeCloseTo(ev.accuracy, 5);
    // Evaluations share their GPU sums: concurrent calls must not mix.
    const [a, b] = await Promise.all([t.evaluate('test'), t.evaluate('test')]);
    expect([a.loss, b.loss]).toEqual([ev.loss, ev.loss]);
    expect(Array.from(b.confusion)).toEqual(Array.from(ev.confusion));
    t.destroy();
  });

  it('makes no buffers or bind groups and one submit per step once compiled', async () => {
    const t = await Trainer.create(ctx, mlp(), config(), { seed: 2 });
    t.setDataset(dataset(mnistSubset(320), mnistSubset(64, 0, 't10k')));
    await t.fit({ epochs: 1 });
    const device = ctx.device;
    const counts = { buffers: 0, bindGroups: 0, submits: 0 };
    const orig = {
      createBuffer: device.createBuffer,
      createBindGroup: device.createBindGroup,
      submit: device.queue.submit,
    };
    device.createBuffer = (d) => {
      counts.buffers++;
      return orig.createBuffer.call(device, d);
    };
    device.createBindGroup = (d) => {
      counts.bindGroups++;
      return orig.createBindGroup.call(device, d);
    };
    device.queue.submit = (c) => {
      counts.submits++;
      return orig.submit.call(device.queue, c);
    };
    const allocations = ctx.arena.allocations;
    const bytes = t.memoryBytes;
    try {
      const steps0 = t.stepsDone;
      await t.fit({ epochs: 3 });
      const steps = t.stepsDone - steps0;
      expect(steps).toBe(30);
      expect(ctx.arena.allocations).toBe(allocations);
      expect(counts.buffers).toBe(0);
      expect(counts.bindGroups).toBe(0);
      // One submit per step; validation adds one per batch (2 of 32) plus a clear and a read per epoch; the
      // fit clears the metric sums once at its start and once at its end.
      expect(counts.submits).toBe(steps + 3 * (2 + 2) + 2);
      expect(t.memoryBytes).toBe(bytes);
    } finally {
      Object.assign(device, { createBuffer: orig.createBuffer, createBindGroup: orig.createBindGroup });
      device.queue.submit = orig.submit;
    }
    t.destroy();
  });

  it('pauses, resumes and stops between steps', async () => {
    const t = await Trainer.create(ctx, mlp(), config(), { seed: 3 });
    t.setDataset(dataset(mnistSubset(2000)));
    let pausedAt = -1;
    let reports = 0;
    let whenPaused: () => void = () => {};
    const paused = new Promise<void>((r) => {
      whenPaused = r;
    });
    const fit = t.fit({
      epochs: 50,
      callbacks: {
        onBatchEnd: () => {
          reports++;
          if (pausedAt < 0) {
            t.pause(whenPaused);
            pausedAt = t.stepsDone;
          }
        },
      },
    });
    await paused;
    // Steps already in the loop when the read-back arrived may finish before the pause takes hold; from then
    // on nothing moves and nothing is reported (whatever the machine's speed).
    const during = t.stepsDone;
    const reported = reports;
    expect(during - pausedAt).toBeLessThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 400));
    expect(t.stepsDone).toBe(during);
    expect(reports).toBe(reported);
    t.resume();
    while (t.stepsDone < during + 10) await new Promise((r) => setTimeout(r, 10));
    t.stop();
    const stoppedAt = t.stepsDone;
    const h = await fit;
    expect(h.stopped).toBe(true);
    expect(h.epochs.length).toBeLessThan(50);
    expect(t.stepsDone - stoppedAt).toBeLessThanOrEqual(1);
    t.destroy();
  });

  it('reports a learning rate of 10 as TrainingDivergedError and keeps the last good weights', async () => {
    const t = await Trainer.create(ctx, mlp(), config({ optimizer: { name: 'sgd', learning_rate: 10 } }), {
      seed: 4,
    });
    t.setDataset(dataset(mnistSubset(640)));
    const start = await t.getWeights();
    const err = await t.fit({ epochs: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingDivergedError);
    expect((err as Error).message).toMatch(/Lower the learning rate \(now 10; try 1\)/);
    expect((err as Error).message).toMatch(/loss (exploded|became NaN)/);
    const w = await t.getWeights();
    expect(w.every((x) => x.data.every(Number.isFinite))).toBe(true);
    // Restored weights are a real checkpoint of this run, not silently zero.
    expect(w[0].data.some((v) => v !== 0)).toBe(true);
    expect(w.map((x) => x.name)).toEqual(start.map((x) => x.name));
    // After a lower rate, training carries on from there with finite losses.
    t.setLearningRate(0.001);
    const h = await t.fit({ epochs: 1 });
    expect(Number.isFinite(h.epochs[0].loss)).toBe(true);
    t.destroy();
  });
});

// The trainer's CPU-side checks and arithmetic: dataset against model, weights matching, optimizer settings,
// normalisation tables and dispatch sizes. No GPU.
import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/data/types';
import { Conv2D, Dense, Flatten } from '../../src/model/factories';
import { paperLeNet5 } from '../../src/model/presets';
import { Sequential } from '../../src/model/sequential';
import { initialWeights } from '../../src/model/weights';
import { normalizationTable } from '../../src/train/batch';
import { planDataset } from '../../src/train/dataset';
import { epochOrder } from '../../src/train/fit';
import { estimateTrainingMemory } from '../../src/train/memory';
import { elementwiseGroups, resolveOptimizer } from '../../src/train/optimizer';
import { planOutput } from '../../src/train/output';
import { divergedLoss } from '../../src/train/readback';
import { matchWeights } from '../../src/train/weights';

const set = (count: number, bytes: number, labels?: number[]): ImageSet => ({
  images: new Uint8Array(count * bytes),
  labels: Int32Array.from(labels ?? Array.from({ length: count }, (_, i) => i % 10)),
  count,
});
const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const mnist = (over: Record<string, unknown> = {}) => ({
  height: 28,
  width: 28,
  channels: 1,
  classNames: digits,
  normalization: { kind: 'scale255' as const },
  train: set(100, 784),
  ...over,
});
const lenet = () => paperLeNet5().build();

describe('planDataset', () => {
  it('pads MNIST into the LeNet input and holds out the last validation_split, as Keras', () => {
    const p = planDataset(lenet(), 10, mnist(), 0.2);
    expect(p.mode).toBe('pad');
    expect([p.dstH, p.dstW]).toEqual([32, 32]);
    expect(p.trainCount).toBe(80);
    expect(p.val).toMatchObject({ base: 80, count: 20, split: true });
  });

  it('prefers a given validation set over the split, and resizes images larger than the input', () => {
    const p = planDataset(
      lenet(),
      10,
      mnist({ height: 40, width: 40, train: set(10, 1600), val: set(5, 1600) }),
      0.2,
    );
    expect(p.mode).toBe('resize');
    expect(p.trainCount).toBe(10);
    expect(p.val).toMatchObject({ base: 0, count: 5, split: false });
    expect(planDataset(lenet(), 10, mnist(), 0, 'resize').mode).toBe('resize');
  });

  it('names the fix when channels differ', () => {
    expect(() => planDataset(lenet(), 10, mnist({ channels: 3, train: set(4, 784 * 3) }), 0)).toThrow(
      /expects grayscale input \(32, 32, 1\) but the dataset is RGB \(28, 28, 3\); set input_shape=\(32, 32, 3\)/,
    );
  });

  it('refuses labels outside the last layer and more classes than units', () => {
    expect(() => planDataset(lenet(), 10, mnist({ train: set(3, 784, [1, 12, 0]) }), 0)).toThrow(
      /training sample 1 has label 12, but the model's last layer has 10 units/,
    );
    expect(() => planDataset(lenet(), 5, mnist(), 0)).toThrow(
      /dataset has 10 classes but the model's last layer has 5 units/,
    );
  });

  it('feeds a vector model the flattened images, and says what to do when sizes differ', () => {
    const vec = (n: number) =>
      new Sequential([Dense({ units: 10, activation: 'softmax' })], 'v', [n]).build();
    const p = planDataset(vec(784), 10, mnist(), 0);
    expect([p.dstH, p.dstW, p.source.channels]).toEqual([28, 28, 1]);
    expect(() => planDataset(vec(100), 10, mnist(), 0)).toThrow(
      /takes vectors of 100 values .* set input_shape=\(784,\)/,
    );
  });
});

describe('planOutput', () => {
  const m = (activation: string, units = 3) =>
    new Sequential([Flatten(), Dense({ units, activation })], 'm', [2, 2, 1]).build();
  const sparse = 'sparse_categorical_crossentropy' as const;

  it('fuses softmax (or a linear layer with from_logits=True) into categorical cross-entropy', () => {
    expect(planOutput(lenet(), { loss: sparse })).toMatchObject({
      kernel: 'softmax_xent',
      fused: 'softmax',
      classes: 10,
      oneHot: false,
      accuracy: 'sparse_categorical_accuracy',
    });
    expect(planOutput(m('linear'), { loss: 'categorical_crossentropy', from_logits: true })).toMatchObject({
      fused: 'softmax',
      oneHot: true,
      accuracy: 'categorical_accuracy',
    });
  });

  it('plans sigmoid binary cross-entropy (one unit: two classes) and mean squared error', () => {
    expect(planOutput(m('sigmoid', 1), { loss: 'binary_crossentropy' })).toMatchObject({
      kernel: 'sigmoid_bce',
      fused: 'sigmoid',
      units: 1,
      classes: 2,
      accuracy: 'binary_accuracy',
    });
    expect(planOutput(m('linear', 1), { loss: 'binary_crossentropy', from_logits: true }).fused).toBe(
      'sigmoid',
    );
    expect(planOutput(m('sigmoid', 4), { loss: 'binary_crossentropy' }).classes).toBe(4);
    expect(planOutput(m('softmax', 3), { loss: 'mean_squared_error' })).toMatchObject({
      kernel: 'mse',
      fused: null,
      accuracy: 'categorical_accuracy',
    });
  });

  it('refuses pairs that cannot learn, with the reason and the fix', () => {
    expect(() => planOutput(m('softmax', 1), { loss: sparse })).toThrow(
      /one unit.*cannot learn.*Dense\(1, activation='sigmoid'\) with loss='binary_crossentropy'/,
    );
    expect(() => planOutput(m('softmax', 1), { loss: 'binary_crossentropy' })).toThrow(
      /use activation='sigmoid' \(a softmax of one unit is always 1/,
    );
    expect(() => planOutput(m('sigmoid', 10), { loss: sparse })).toThrow(
      /activation 'sigmoid'.*sum to one.*loss='binary_crossentropy'/,
    );
    expect(() => planOutput(m('linear'), { loss: sparse })).toThrow(
      /is linear, so it outputs logits.*from_logits=True/,
    );
    expect(() => planOutput(m('linear', 1), { loss: 'binary_crossentropy' })).toThrow(
      /activation='sigmoid' on it, or binary_crossentropy with from_logits=True/,
    );
    expect(() => planOutput(m('softmax'), { loss: sparse, from_logits: true })).toThrow(
      /probabilities, not logits; remove from_logits=True/,
    );
    expect(() => planOutput(m('relu'), { loss: 'categorical_crossentropy' })).toThrow(
      /activation='softmax' on the last layer/,
    );
    const conv = new Sequential([Conv2D({ filters: 2, kernel_size: 1 })], 'c', [2, 2, 1]).build();
    expect(() => planOutput(conv, { loss: sparse })).toThrow(/end the model with Flatten\(\)/);
  });
});

describe('matchWeights', () => {
  const model = lenet();
  const params = model.layers.flatMap((l) =>
    l.params.map((p) => ({
      name: `${l.layer.config.name}/${p.name}`,
      shape: p.shape,
      size: p.shape.reduce((a, b) => a * b, 1),
    })),
  );
  const w = initialWeights(model, 1);

  it('matches by name in any order, else by position', () => {
    const got = matchWeights(params, [...w].reverse());
    expect(got[0]).toBe(w[0].data);
    const renamed = w.map((x, i) => ({ ...x, name: `other_${i}` }));
    expect(matchWeights(params, renamed)[3]).toBe(w[3].data);
  });

  it('names the weight that does not fit, and refuses NaN', () => {
    const bad = w.map((x) =>
      x.name === 'dense/kernel' ? { ...x, shape: [400, 84], data: new Float32Array(400 * 84) } : x,
    );
    expect(() => matchWeights(params, bad)).toThrow(
      /'dense\/kernel' has shape \(400, 84\).*needs \(400, 120\)/,
    );
    expect(() =>
      matchWeights(
        params,
        w.slice(1).map((x, i) => ({ ...x, name: `x${i}` })),
      ),
    ).toThrow(/has 8 weight arrays, 7 were given/);
    const nan = w.map((x, i) =>
      i === 2 ? { ...x, data: x.data.map((v, j) => (j === 5 ? Number.NaN : v)) } : x,
    );
    expect(() => matchWeights(params, nan)).toThrow(/non-finite value \(NaN\) at index 5/);
  });
});

describe('optimizer settings and sizes', () => {
  it("fills Keras's defaults and refuses values that would give NaN", () => {
    expect(resolveOptimizer({ name: 'adam', learning_rate: 0.001 })).toMatchObject({
      beta_1: 0.9,
      beta_2: 0.999,
      epsilon: 1e-7,
    });
    expect(resolveOptimizer({ name: 'rmsprop', learning_rate: 0.001 })).toMatchObject({
      rho: 0.9,
      momentum: 0,
      centered: false,
    });
    expect(() => resolveOptimizer({ name: 'sgd', learning_rate: 0 })).toThrow(
      /learning rate must be a positive number/,
    );
    expect(() => resolveOptimizer({ name: 'rmsprop', learning_rate: 0.1, rho: 1.5 })).toThrow(
      /rho must be in/,
    );
    expect(() => resolveOptimizer({ name: 'adagrad' as 'sgd', learning_rate: 0.1 })).toThrow(/not supported/);
  });

  it('folds more than 65535 workgroups into y', () => {
    expect(elementwiseGroups(100)).toEqual([1, 1, 1]);
    expect(elementwiseGroups(256 * 65535)).toEqual([65535, 1, 1]);
    const [x, y] = elementwiseGroups(256 * 65535 + 1);
    expect([x, y]).toEqual([65535, 2]);
    expect(x * y * 256).toBeGreaterThanOrEqual(256 * 65535 + 1);
  });

  it('maps normalisations to per-channel scale and shift', () => {
    expect(Array.from(normalizationTable({ kind: 'scale255' }, 2))).toEqual(
      [1 / 255, 1 / 255, 0, 0].map(Math.fround),
    );
    const t = normalizationTable({ kind: 'meanstd', mean: [0.5, 0.25], std: [0.5, 0.25] }, 2);
    // pixel 255 -> (1 - mean) / std
    expect(255 * t[0] + t[2]).toBeCloseTo(1, 6);
    expect(255 * t[1] + t[3]).toBeCloseTo(3, 6);
    expect(() => normalizationTable({ kind: 'meanstd', mean: [0.5], std: [0] }, 1)).toThrow(
      /std must be > 0/,
    );
  });

  it('counts a loss as diverged at 100 times chance level', () => {
    expect(divergedLoss(10)).toBeCloseTo(230.26, 1);
    expect(divergedLoss(2)).toBeCloseTo(69.3, 1);
  });
});

describe('epochOrder', () => {
  it('is a permutation, the same for the same seed and epoch, different across epochs; identity without shuffle', () => {
    const a = epochOrder(1000, 7, 0, true);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(epochOrder(1000, 7, 0, true))).toEqual(Array.from(a));
    expect(Array.from(epochOrder(1000, 7, 1, true))).not.toEqual(Array.from(a));
    expect(Array.from(epochOrder(1000, 8, 0, true))).not.toEqual(Array.from(a));
    expect(Array.from(epochOrder(5, 7, 3, false))).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('estimateTrainingMemory on graphs', () => {
  it('gives non-trainable weights no gradient or optimizer state, and a fan-out its extra gradient buffers', () => {
    const chain = new Sequential(
      [Flatten(), Dense({ units: 4 }), Dense({ units: 3 })],
      'c',
      [2, 2, 1],
    ).build();
    const base = estimateTrainingMemory(chain, 8, resolveOptimizer({ name: 'adam', learning_rate: 1e-3 }));
    // 4*4+4 + 4*3+3 = 35 weights, each with value, gradient, m and v.
    expect(base.paramBytes).toBe(35 * 4 * 4);
    const frozen = {
      ...chain,
      layers: chain.layers.map((l) => ({ ...l, params: l.params.map((p) => ({ ...p })) })),
    };
    frozen.layers[2].params[1].trainable = false;
    const f = estimateTrainingMemory(frozen, 8, resolveOptimizer({ name: 'adam', learning_rate: 1e-3 }));
    expect(base.paramBytes - f.paramBytes).toBe(3 * 4 * 3);
    // Dense(4)'s output read twice (by the last Dense and, say, a second branch): one more 8x4 gradient buffer.
    const fanned = { ...chain, layers: [...chain.layers] };
    fanned.layers[2] = { ...chain.layers[2], inbound: [1] };
    fanned.layers.splice(2, 0, { ...chain.layers[1], inbound: [1] });
    const g = estimateTrainingMemory(fanned, 8, resolveOptimizer({ name: 'sgd', learning_rate: 1e-2 }));
    const h = estimateTrainingMemory(
      { ...fanned, layers: fanned.layers.map((l, i) => (i === 3 ? { ...l, inbound: [2] } : l)) },
      8,
      resolveOptimizer({ name: 'sgd', learning_rate: 1e-2 }),
    );
    expect(g.activationBytes - h.activationBytes).toBe(8 * 4 * 4);
  });
});

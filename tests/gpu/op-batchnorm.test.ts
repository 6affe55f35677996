// BatchNormalization kernels against the float64 reference: training (batch statistics, moving-statistics
// update, full gradient), inference (moving statistics), partial batches (padding rows take no part), 2-D and
// NHWC inputs, center / scale off, sizes that leave partial parts and more rows than one workgroup covers.
// One kernel family serves every adapter (no workgroup memory, no barriers; see src/ops/batchnorm.ts).
import { describe, expect, it } from 'vitest';
import type { Layer } from '../../src/model/layers';
import { Rng } from '../../src/model/random';
import type { ParamSpec } from '../../src/model/shapes';
import { batchnormParts } from '../../src/ops/batchnorm';
import {
  batchnormApply,
  batchnormBackward,
  batchnormTrainForward,
  movingUpdate,
} from '../../src/reference/batchnorm';
import { expectClose, randomTensor } from './harness';
import { builtLayer, runParamLayer } from './param-harness';

// float32 against float64: sums over up to ~2,000 rows per channel, and dX is a difference of such sums.
const TOL = 2e-4;

interface BnCase {
  shape: number[]; // without the batch axis
  batch: number;
  valid?: number;
  center?: boolean;
  scale?: boolean;
  momentum?: number;
  epsilon?: number;
  first?: boolean;
  /** Shift of the inputs: a large mean tests that the variance does not cancel. */
  offset?: number;
}

function bnLayer(c: BnCase) {
  const ch = c.shape[c.shape.length - 1];
  const center = c.center ?? true;
  const scale = c.scale ?? true;
  const layer: Layer = {
    className: 'BatchNormalization',
    config: {
      name: 'batch_normalization',
      axis: -1,
      momentum: c.momentum ?? 0.99,
      epsilon: c.epsilon ?? 1e-3,
      center,
      scale,
      beta_initializer: 'zeros',
      gamma_initializer: 'ones',
      moving_mean_initializer: 'zeros',
      moving_variance_initializer: 'ones',
    },
  };
  const params: ParamSpec[] = [
    ...(scale ? [{ name: 'gamma', shape: [ch], initializer: 'ones' as const }] : []),
    ...(center ? [{ name: 'beta', shape: [ch], initializer: 'zeros' as const }] : []),
    { name: 'moving_mean', shape: [ch], initializer: 'zeros', trainable: false },
    { name: 'moving_variance', shape: [ch], initializer: 'ones', trainable: false },
  ];
  return builtLayer(layer, c.shape, c.shape, params);
}

function inputs(c: BnCase) {
  const rng = new Rng(c.shape.reduce((a, b) => a * 31 + b, c.batch));
  const ch = c.shape[c.shape.length - 1];
  const x = randomTensor([c.batch, ...c.shape], rng, -2, 2);
  for (let i = 0; i < x.data.length; i++)
    x.data[i] = Math.fround(x.data[i] * (1 + (i % ch)) + (c.offset ?? 0));
  const dY = randomTensor([c.batch, ...c.shape], rng);
  const gamma = randomTensor([ch], rng, 0.5, 1.5).data;
  const beta = randomTensor([ch], rng).data;
  const movingMean = randomTensor([ch], rng).data;
  const movingVariance = randomTensor([ch], rng, 0.5, 2).data;
  return { x, dY, gamma, beta, movingMean, movingVariance };
}

async function checkTraining(c: BnCase) {
  const built = bnLayer(c);
  const v = inputs(c);
  const scale = c.scale ?? true;
  const center = c.center ?? true;
  const run = await runParamLayer({
    built,
    batch: c.batch,
    x: v.x.data,
    dY: v.dY.data,
    validRows: c.valid,
    first: c.first,
    params: {
      gamma: v.gamma,
      beta: v.beta,
      moving_mean: v.movingMean,
      moving_variance: v.movingVariance,
    },
  });
  const opts = { epsilon: c.epsilon ?? 1e-3, gamma: scale ? v.gamma : null, beta: center ? v.beta : null };
  const valid = c.valid ?? c.batch;
  const ref = batchnormTrainForward(v.x, { ...opts, validRows: valid });
  // The loss ignores padding rows, so their dY is 0 by the time it reaches a layer; the kernel must not rely on it.
  const perSample = v.x.data.length / c.batch;
  const dYValid = { shape: v.dY.shape, data: v.dY.data.map((d, i) => (i < valid * perSample ? d : 0)) };
  const back = batchnormBackward(v.x, dYValid, { ...opts, validRows: valid });
  const what = `BN ${JSON.stringify(c)}`;
  // Padding rows' outputs are never read; compare the valid ones.
  expectClose(`${what} y`, run.y.slice(0, valid * perSample), ref.y.data.slice(0, valid * perSample), TOL);
  const momentum = c.momentum ?? 0.99;
  expectClose(
    `${what} moving_mean`,
    run.params.moving_mean,
    movingUpdate(v.movingMean, ref.mean, momentum),
    TOL,
  );
  expectClose(
    `${what} moving_variance`,
    run.params.moving_variance,
    movingUpdate(v.movingVariance, ref.variance, momentum),
    TOL,
  );
  if (c.first) expect(run.dX).toBeNull();
  else expectClose(`${what} dX`, run.dX, back.dX.data, TOL);
  if (scale) expectClose(`${what} dGamma`, run.grads.gamma, back.dGamma, TOL);
  if (center) expectClose(`${what} dBeta`, run.grads.beta, back.dBeta, TOL);
  // Trainable weights are left alone by the forward pass.
  if (scale) expect([...run.params.gamma]).toEqual([...Float32Array.from(v.gamma)]);
  return run;
}

describe('BatchNormalization on the GPU against the reference', () => {
  it('NHWC 8x8x16 batch 4 and 2-D [batch, 10] (training: y, moving stats, dX, dGamma, dBeta)', async () => {
    await checkTraining({ shape: [8, 8, 16], batch: 4 });
    await checkTraining({ shape: [10], batch: 6 });
  });

  it('rows not a multiple of the part size, odd channels, many parts (7x5x3 batch 3; 32x32x6 batch 2)', async () => {
    await checkTraining({ shape: [7, 5, 3], batch: 3 });
    const big = { shape: [32, 32, 6], batch: 2 };
    expect(batchnormParts(2 * 32 * 32, 6).parts).toBeGreaterThan(64);
    await checkTraining(big);
  });

  it('center=False, scale=False, momentum 0.9, epsilon 1e-5, first layer (no dX)', async () => {
    await checkTraining({ shape: [4, 4, 5], batch: 2, center: false });
    await checkTraining({ shape: [4, 4, 5], batch: 2, scale: false, momentum: 0.9, epsilon: 1e-5 });
    await checkTraining({ shape: [3, 3, 4], batch: 2, center: false, scale: false, first: true });
  });

  it('a partial batch: padding rows enter no statistic and get dX = 0', async () => {
    const run = await checkTraining({ shape: [5, 5, 4], batch: 4, valid: 3 });
    const dX = run.dX as Float32Array;
    expect(dX.slice(3 * 100).every((v) => v === 0)).toBe(true);
    await checkTraining({ shape: [6], batch: 5, valid: 1 });
  });

  it('inputs with a large mean (100): the variance does not cancel', async () => {
    await checkTraining({ shape: [6, 6, 3], batch: 4, offset: 100 });
  });

  it('inference uses the moving statistics and leaves them unchanged', async () => {
    for (const [center, scale] of [
      [true, true],
      [false, true],
      [true, false],
    ]) {
      const c = { shape: [6, 7, 5], batch: 3, center, scale };
      const v = inputs(c);
      const run = await runParamLayer({
        built: bnLayer(c),
        batch: c.batch,
        x: v.x.data,
        dY: v.dY.data,
        inference: true,
        params: {
          gamma: v.gamma,
          beta: v.beta,
          moving_mean: v.movingMean,
          moving_variance: v.movingVariance,
        },
      });
      const ref = batchnormApply(v.x, v.movingMean, v.movingVariance, {
        epsilon: 1e-3,
        gamma: scale ? v.gamma : null,
        beta: center ? v.beta : null,
      });
      expectClose(`BN inference ${JSON.stringify(c)}`, run.y, ref.data, TOL);
      expect([...run.params.moving_mean]).toEqual([...Float32Array.from(v.movingMean)]);
      expect([...run.params.moving_variance]).toEqual([...Float32Array.from(v.movingVariance)]);
    }
  });
});

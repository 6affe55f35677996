// BatchNormalization over the last axis (shaders/batchnorm.wgsl). Training: per-channel batch statistics of the
// valid rows in two atomic-free levels (PARTS partials, then a merge per channel that also updates the moving
// statistics in place), then the normalisation. Inference: one elementwise pass with the moving statistics.
// Backward: partial sums of dY and dY * xhat, a merge that writes dGamma / dBeta, and dX elementwise.
//
// One kernel family for every adapter: the kernels use no workgroup memory and no barriers (each invocation
// owns a channel's slice of rows), which is what CPU adapters want, and on a GPU the passes are memory-bound
// with coalesced channel-fastest reads, so a tiled variant would have nothing to tile.
import type { Dispatch } from '../gpu/context';
import { ceilDiv, kernelsOf, layerAs, sizeOf } from './common';
import { param } from './params';
import type { LayerOpFactory } from './types';

const WG = 64;
/** Partials per channel aim at about this many invocations in all (enough to fill a GPU, cheap on a CPU). */
const TARGET_INVOCATIONS = 4096;
/** ... but each part covers at least this many rows. */
const MIN_CHUNK = 8;
const ELEMENTWISE_INVOCATIONS = 16384;

/** How the rows of each channel split into parts for the two-level reductions. */
export function batchnormParts(rows: number, channels: number): { parts: number; chunk: number } {
  const wanted = Math.max(1, Math.min(Math.ceil(TARGET_INVOCATIONS / channels), Math.ceil(rows / MIN_CHUNK)));
  const chunk = Math.ceil(rows / wanted);
  return { parts: Math.ceil(rows / chunk), chunk };
}

export const createBatchNorm: LayerOpFactory = (ctx, layer, io, opts) => {
  const cfg = layerAs(layer, 'createBatchNorm', 'BatchNormalization').config;
  const name = cfg.name;
  const rank = layer.inputShape.length;
  if (cfg.axis !== -1 && cfg.axis !== rank) {
    throw new Error(`${name}: BatchNormalization runs on the last axis only (axis=-1); got axis=${cfg.axis}`);
  }
  const c = layer.inputShape[rank - 1];
  const perSample = sizeOf(layer.inputShape) / c;
  const rows = opts.batch * perSample;
  const { parts, chunk } = batchnormParts(rows, c);
  // Elementwise passes: each invocation owns one channel of every ROW_GROUPS-th row, its per-channel
  // coefficients computed once (about ELEMENTWISE_INVOCATIONS invocations in all).
  const rowGroups = Math.max(1, Math.min(rows, Math.ceil(ELEMENTWISE_INVOCATIONS / c)));
  const k = {
    WG,
    BATCH: opts.batch,
    PER_SAMPLE: perSample,
    C: c,
    PARTS: parts,
    CHUNK: chunk,
    EPS: cfg.epsilon,
    MOMENTUM: cfg.momentum,
    HAS_GAMMA: cfg.scale ? 1 : 0,
    HAS_BETA: cfg.center ? 1 : 0,
    ROW_GROUPS: rowGroups,
  };
  const run = kernelsOf(ctx, 'batchnorm', name, k);
  const arena = ctx.arena;
  const gamma = cfg.scale ? param(io, name, 'gamma') : null;
  const beta = cfg.center ? param(io, name, 'beta') : null;
  const movingMean = param(io, name, 'moving_mean').value;
  const movingVariance = param(io, name, 'moving_variance').value;
  // Stand-ins bound where scale / center are off (the shader ignores them: HAS_GAMMA / HAS_BETA).
  const unused = !gamma || !beta ? arena.storage(`${name}/unused`, c) : null;
  const gammaBuf = gamma?.value ?? (unused as GPUBuffer);
  const betaBuf = beta?.value ?? (unused as GPUBuffer);
  const partial = arena.storage(`${name}/partial`, 2 * parts * c);
  // mean[C] then 1 / sqrt(var + eps)[C] of the last training batch: what backward normalises with.
  const stats = arena.storage(`${name}/stats`, 2 * c);
  const partsGrid: [number, number, number] = [ceilDiv(parts * c, WG), 1, 1];
  const channelGrid: [number, number, number] = [ceilDiv(c, WG), 1, 1];
  const elementGrid: [number, number, number] = [ceilDiv(rowGroups * c, WG), 1, 1];

  const forwardTrain: Dispatch[] = [
    run('stats_partial', [io.x, io.step, partial], partsGrid, 'stats'),
    run('stats_finalize', [partial, io.step, movingMean, movingVariance, stats], channelGrid),
    run('normalize', [io.x, stats, gammaBuf, betaBuf, io.y], elementGrid),
  ];
  const forwardInfer: Dispatch[] = [
    run('forward_infer', [io.x, movingMean, movingVariance, gammaBuf, betaBuf, io.y], elementGrid, 'forward'),
  ];

  const sums = arena.storage(`${name}/grad-sums`, 2 * c);
  const dGamma = gamma?.grad ?? arena.storage(`${name}/unused-dgamma`, c);
  const dBeta = beta?.grad ?? arena.storage(`${name}/unused-dbeta`, c);
  const backward: Dispatch[] = [
    run('grad_partial', [io.x, io.dY, stats, io.step, partial], partsGrid),
    run('grad_finalize', [partial, sums, dGamma, dBeta], channelGrid),
  ];
  if (io.dX) {
    backward.push(run('backward_dx', [io.x, io.dY, stats, sums, gammaBuf, io.step, io.dX], elementGrid));
  }
  return { layerName: name, forwardTrain, forwardInfer, backward };
};

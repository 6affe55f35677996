// Rescaling (y = x * scale + offset) and Normalization (y = (x - mean) / max(sqrt(variance), 1e-7) per channel,
// as Keras 3 computes it) on shaders/rescaling.wgsl. An adapted Normalization reads its non-trainable `mean` and
// `variance` weights from their buffers; one built with mean= / variance= gets them uploaded once here.
// One kernel family for every adapter: elementwise passes with no workgroup memory or barriers.
import { gridStride, kernelsOf, layerAs, sizeOf, statelessOp } from './common';
import { param } from './params';
import type { LayerOpFactory } from './types';

const WG = 64;

export const createRescaling: LayerOpFactory = (ctx, layer, io, opts) => {
  const l = layerAs(layer, 'createRescaling', 'Rescaling', 'Normalization');
  const count = opts.batch * sizeOf(layer.inputShape);
  const grid = gridStride(count, WG);
  if (l.className === 'Rescaling') {
    const cfg = l.config;
    const run = kernelsOf(ctx, 'rescaling', cfg.name, {
      WG,
      COUNT: count,
      SCALE: cfg.scale,
      OFFSET: cfg.offset,
    });
    return statelessOp(
      cfg.name,
      [run('rescale_forward', [io.x, io.y], grid, 'forward')],
      io.dX ? [run('rescale_backward', [io.dY, io.dX], grid, 'backward')] : [],
    );
  }
  const cfg = l.config;
  const rank = layer.inputShape.length;
  if (cfg.axis !== -1 && cfg.axis !== rank) {
    throw new Error(
      `${cfg.name}: Normalization runs per channel on the last axis only (axis=-1); got axis=${cfg.axis}`,
    );
  }
  const c = layer.inputShape[rank - 1];
  const stat = (which: 'mean' | 'variance', given: number[] | null): GPUBuffer => {
    if (!given) return param(io, cfg.name, which).value;
    if (given.length !== 1 && given.length !== c) {
      throw new Error(`${cfg.name}: ${which} has ${given.length} values; give 1 or one per channel (${c})`);
    }
    const buf = ctx.arena.storage(`${cfg.name}/${which}`, c);
    const values = given.length === 1 ? new Float32Array(c).fill(given[0]) : Float32Array.from(given);
    ctx.device.queue.writeBuffer(buf, 0, values);
    return buf;
  };
  const mean = stat('mean', cfg.mean);
  const variance = stat('variance', cfg.variance);
  const run = kernelsOf(ctx, 'rescaling', cfg.name, { WG, COUNT: count, C: c });
  return statelessOp(
    cfg.name,
    [run('normalize_forward', [io.x, mean, variance, io.y], grid, 'forward')],
    io.dX ? [run('normalize_backward', [io.dY, variance, io.dX], grid, 'backward')] : [],
  );
};

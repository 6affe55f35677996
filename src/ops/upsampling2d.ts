// UpSampling2D, nearest (shaders/upsampling2d.wgsl). One kernel family for every adapter: a copy and a block
// sum, memory-bound gathers with no workgroup memory or barriers.
import { gridStride, kernelsOf, layerAs, statelessOp } from './common';
import type { LayerOpFactory } from './types';

const WG = 64;

export const createUpSampling2d: LayerOpFactory = (ctx, layer, io, opts) => {
  const cfg = layerAs(layer, 'createUpSampling2d', 'UpSampling2D').config;
  if (cfg.interpolation !== 'nearest') {
    throw new Error(
      `${cfg.name}: UpSampling2D runs interpolation='nearest' only; got '${cfg.interpolation}'`,
    );
  }
  const [h, w, c] = layer.inputShape;
  const [sh, sw] = cfg.size;
  const run = kernelsOf(ctx, 'upsampling2d', cfg.name, {
    WG,
    BATCH: opts.batch,
    H: h,
    W: w,
    C: c,
    SH: sh,
    SW: sw,
  });
  const xCount = opts.batch * h * w * c;
  return statelessOp(
    cfg.name,
    [run('forward', [io.x, io.y], gridStride(xCount * sh * sw, WG))],
    io.dX ? [run('backward', [io.dY, io.dX], gridStride(xCount, WG))] : [],
  );
};

// UpSampling2D, nearest (shaders/upsampling2d.wgsl). One kernel family for every adapter: a copy and a block
// sum, memory-bound gathers with no workgroup memory or barriers.
import type { GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import { gridStride, record } from './common';
import type { LayerBuffers, LayerOp, LayerOpOptions } from './types';

const WG = 64;

export function createUpSampling2d(
  ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  opts: LayerOpOptions,
): LayerOp {
  if (layer.layer.className !== 'UpSampling2D')
    throw new Error(`createUpSampling2d got ${layer.layer.className}`);
  const cfg = layer.layer.config;
  if (cfg.interpolation !== 'nearest') {
    throw new Error(
      `${cfg.name}: UpSampling2D runs interpolation='nearest' only; got '${cfg.interpolation}'`,
    );
  }
  const [h, w, c] = layer.inputShape;
  const [sh, sw] = cfg.size;
  const k = { WG, BATCH: opts.batch, H: h, W: w, C: c, SH: sh, SW: sw };
  const xCount = opts.batch * h * w * c;
  const forward = [
    record(
      ctx,
      'upsampling2d',
      'forward',
      k,
      [io.x, io.y],
      gridStride(xCount * sh * sw, WG),
      `${cfg.name}:forward`,
    ),
  ];
  const backward = io.dX
    ? [
        record(
          ctx,
          'upsampling2d',
          'backward',
          k,
          [io.dY, io.dX],
          gridStride(xCount, WG),
          `${cfg.name}:backward`,
        ),
      ]
    : [];
  return { layerName: cfg.name, forwardTrain: forward, forwardInfer: forward, backward };
}

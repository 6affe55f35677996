// GlobalAveragePooling2D (shaders/global_pool.wgsl).
import type { GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import { ceilDiv, gridStride, record } from './common';
import type { LayerBuffers, LayerOp, LayerOpOptions } from './types';

const WG = 64;

export function createGlobalPool(
  ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  opts: LayerOpOptions,
): LayerOp {
  if (layer.layer.className !== 'GlobalAveragePooling2D') {
    throw new Error(`createGlobalPool got ${layer.layer.className}`);
  }
  const name = layer.layer.config.name;
  const [h, w, c] = layer.inputShape;
  const k = { WG, BATCH: opts.batch, HW: h * w, C: c };
  const forward = [
    record(
      ctx,
      'global_pool',
      'forward',
      k,
      [io.x, io.y],
      [ceilDiv(opts.batch * c, WG), 1, 1],
      `${name}:forward`,
    ),
  ];
  const backward = io.dX
    ? [
        record(
          ctx,
          'global_pool',
          'backward',
          k,
          [io.dY, io.dX],
          gridStride(opts.batch * h * w * c, WG),
          `${name}:backward`,
        ),
      ]
    : [];
  return { layerName: name, forwardTrain: forward, forwardInfer: forward, backward };
}

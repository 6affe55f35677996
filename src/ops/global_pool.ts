// GlobalAveragePooling2D and GlobalMaxPooling2D (shaders/global_pool.wgsl). One kernel family for every adapter:
// a pass over x per channel with no workgroup memory or barriers, bound by memory traffic.
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
  const cls = layer.layer.className;
  if (cls !== 'GlobalAveragePooling2D' && cls !== 'GlobalMaxPooling2D') {
    throw new Error(`createGlobalPool got ${cls}`);
  }
  const isMax = cls === 'GlobalMaxPooling2D';
  const name = layer.layer.config.name;
  const [h, w, c] = layer.inputShape;
  const k = { WG, BATCH: opts.batch, HW: h * w, C: c, IS_MAX: isMax ? 1 : 0 };
  const perChannel: [number, number, number] = [ceilDiv(opts.batch * c, WG), 1, 1];
  const forward = [record(ctx, 'global_pool', 'forward', k, [io.x, io.y], perChannel, `${name}:forward`)];
  const backward = !io.dX
    ? []
    : isMax
      ? [record(ctx, 'global_pool', 'backward_max', k, [io.x, io.dY, io.dX], perChannel, `${name}:backward`)]
      : [
          record(
            ctx,
            'global_pool',
            'backward',
            k,
            [io.dY, io.dX],
            gridStride(opts.batch * h * w * c, WG),
            `${name}:backward`,
          ),
        ];
  return { layerName: name, forwardTrain: forward, forwardInfer: forward, backward };
}

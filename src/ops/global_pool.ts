// GlobalAveragePooling2D and GlobalMaxPooling2D (shaders/global_pool.wgsl). One kernel family for every adapter:
// a pass over x per channel with no workgroup memory or barriers, bound by memory traffic.
import { ceilDiv, gridStride, kernelsOf, layerAs, statelessOp } from './common';
import type { LayerOpFactory } from './types';

const WG = 64;

export const createGlobalPool: LayerOpFactory = (ctx, layer, io, opts) => {
  const l = layerAs(layer, 'createGlobalPool', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D');
  const isMax = l.className === 'GlobalMaxPooling2D';
  const name = l.config.name;
  const [h, w, c] = layer.inputShape;
  const run = kernelsOf(ctx, 'global_pool', name, {
    WG,
    BATCH: opts.batch,
    HW: h * w,
    C: c,
    IS_MAX: isMax ? 1 : 0,
  });
  const perChannel: [number, number, number] = [ceilDiv(opts.batch * c, WG), 1, 1];
  const dX = io.dX;
  const backward = !dX
    ? []
    : isMax
      ? [run('backward_max', [io.x, io.dY, dX], perChannel, 'backward')]
      : [run('backward', [io.dY, dX], gridStride(opts.batch * h * w * c, WG))];
  return statelessOp(name, [run('forward', [io.x, io.y], perChannel)], backward);
};

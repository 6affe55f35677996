// ZeroPadding2D: a gather each way (shaders/pad2d.wgsl).
import type { GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import { gridStride, record } from './common';
import type { LayerBuffers, LayerOp, LayerOpOptions } from './types';

const WG = 64;

export function createPad2d(
  ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  opts: LayerOpOptions,
): LayerOp {
  if (layer.layer.className !== 'ZeroPadding2D') throw new Error(`createPad2d got ${layer.layer.className}`);
  const cfg = layer.layer.config;
  const [h, w, c] = layer.inputShape;
  const [oh, ow] = layer.outputShape;
  const [[top], [left]] = cfg.padding;
  const k = { WG, BATCH: opts.batch, H: h, W: w, C: c, OH: oh, OW: ow, TOP: top, LEFT: left };
  const forward = [
    record(
      ctx,
      'pad2d',
      'forward',
      k,
      [io.x, io.y],
      gridStride(opts.batch * oh * ow * c, WG),
      `${cfg.name}:forward`,
    ),
  ];
  const backward = io.dX
    ? [
        record(
          ctx,
          'pad2d',
          'backward',
          k,
          [io.dY, io.dX],
          gridStride(opts.batch * h * w * c, WG),
          `${cfg.name}:backward`,
        ),
      ]
    : [];
  return { layerName: cfg.name, forwardTrain: forward, forwardInfer: forward, backward };
}

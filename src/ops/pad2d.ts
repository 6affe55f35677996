// ZeroPadding2D: a gather each way (shaders/pad2d.wgsl).
import { gridStride, kernelsOf, layerAs, statelessOp } from './common';
import type { LayerOpFactory } from './types';

const WG = 64;

export const createPad2d: LayerOpFactory = (ctx, layer, io, opts) => {
  const cfg = layerAs(layer, 'createPad2d', 'ZeroPadding2D').config;
  const [h, w, c] = layer.inputShape;
  const [oh, ow] = layer.outputShape;
  const [[top], [left]] = cfg.padding;
  const k = { WG, BATCH: opts.batch, H: h, W: w, C: c, OH: oh, OW: ow, TOP: top, LEFT: left };
  const run = kernelsOf(ctx, 'pad2d', cfg.name, k);
  return statelessOp(
    cfg.name,
    [run('forward', [io.x, io.y], gridStride(opts.batch * oh * ow * c, WG))],
    io.dX ? [run('backward', [io.dY, io.dX], gridStride(opts.batch * h * w * c, WG))] : [],
  );
};

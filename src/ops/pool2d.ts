// MaxPooling2D and AveragePooling2D: one gather kernel each way (shaders/pool2d.wgsl); backward recomputes
// the max winner from x instead of saving an argmax buffer, so inference writes nothing extra.
import { axisPlan, gridStride, kernelsOf, layerAs, statelessOp } from './common';
import type { LayerOpFactory } from './types';

const WG = 64;

export const createPool2d: LayerOpFactory = (ctx, layer, io, opts) => {
  const l = layerAs(layer, 'createPool2d', 'MaxPooling2D', 'AveragePooling2D');
  const cfg = l.config;
  const [h, w, c] = layer.inputShape;
  const py = axisPlan(h, cfg.pool_size[0], cfg.strides[0], cfg.padding);
  const px = axisPlan(w, cfg.pool_size[1], cfg.strides[1], cfg.padding);
  const constants = {
    WG,
    BATCH: opts.batch,
    H: h,
    W: w,
    C: c,
    OH: py.out,
    OW: px.out,
    KH: cfg.pool_size[0],
    KW: cfg.pool_size[1],
    SH: cfg.strides[0],
    SW: cfg.strides[1],
    TOP: py.before,
    LEFT: px.before,
    IS_MAX: l.className === 'MaxPooling2D' ? 1 : 0,
  };
  const run = kernelsOf(ctx, 'pool2d', cfg.name, constants);
  const yCount = opts.batch * py.out * px.out * c;
  const xCount = opts.batch * h * w * c;
  // Windows that tile the input exactly (LeNet's 2x2 stride 2 on even sizes) scatter from each window;
  // anything else (overlaps, gaps, leftover rows) gathers into each input cell.
  const [ph, pw] = cfg.pool_size;
  const [sh, sw] = cfg.strides;
  const tiles =
    ph === sh && pw === sw && py.before === 0 && px.before === 0 && py.out * sh === h && px.out * sw === w;
  const [entry, count] = tiles ? ['backward_windows', yCount] : ['backward', xCount];
  return statelessOp(
    cfg.name,
    [run('forward', [io.x, io.y], gridStride(yCount, WG))],
    io.dX ? [run(entry, [io.x, io.dY, io.dX], gridStride(count, WG), 'backward')] : [],
  );
};

// Conv2D as implicit GEMM (shaders/conv2d.wgsl): forward with bias and activation fused, dX as a transposed
// conv, and [dK; db] as one split-K GEMM over batch*OH*OW whose partial sums a small pass adds up. The context's
// kernel family (src/gpu/family.ts) picks the workgroup-tiled kernels or the barrier-free ones
// (shaders/conv2d_direct.wgsl).
import type { Dispatch, GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import {
  type ActivationPass,
  activationBackward,
  activationForward,
  activationGradFromY,
} from './activation';
import { actId, axisPlan, ceilDiv, defaultAlpha, fusable, layerActivation, record } from './common';
import { convTile, directTile, splitK } from './gemm';
import type { LayerBuffers, LayerOp, LayerOpOptions } from './types';

export function createConv2d(
  ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  opts: LayerOpOptions,
): LayerOp {
  if (layer.layer.className !== 'Conv2D') throw new Error(`createConv2d got ${layer.layer.className}`);
  const cfg = layer.layer.config;
  const name = cfg.name;
  if (!io.kernel) throw new Error(`${name}: no kernel buffer`);
  const [h, w, cin] = layer.inputShape;
  const [kh, kw] = cfg.kernel_size;
  const [sh, sw] = cfg.strides;
  const py = axisPlan(h, kh, sh, cfg.padding);
  const px = axisPlan(w, kw, sw, cfg.padding);
  const cout = cfg.filters;
  const batch = opts.batch;
  const act = layerActivation(cfg.activation, opts.softmaxInLoss);
  const fused = fusable(act);
  const alpha = defaultAlpha(act);
  const arena = ctx.arena;
  const yCount = batch * py.out * px.out * cout;
  const bias = io.bias ?? arena.storage(`${name}/zero-bias`, cout);
  const geometry = {
    BATCH: batch,
    H: h,
    W: w,
    CIN: cin,
    OH: py.out,
    OW: px.out,
    COUT: cout,
    KH: kh,
    KW: kw,
    SH: sh,
    SW: sw,
    TOP: py.before,
    LEFT: px.before,
    ACT: fused ? actId(act) : 0,
    ALPHA: alpha,
  };
  const pass: ActivationPass = { name: act, alpha, count: yCount, rowLen: cout };
  const z = fused ? io.y : arena.storage(`${name}/z`, yCount);
  // dZ = dY * act'(.) once, before dX / dK: the dX gather would otherwise redo it for each of the KH*KW taps.
  const dZ = act === 'linear' ? io.dY : arena.storage(`${name}/dZ`, yCount);

  const mOut = batch * py.out * px.out;
  const direct = ctx.family === 'direct';
  // Does any tap read outside x? Not for 'valid' convs: the direct kernels then skip the bounds checks.
  const outside = (size: number, k: number, s: number, p: { out: number; before: number }) =>
    p.before > 0 || (p.out - 1) * s + k - p.before > size;
  const PADDED = outside(h, kh, sh, py) || outside(w, kw, sw, px) ? 1 : 0;
  const forward: Dispatch[] = [];
  if (direct) {
    const d = directTile(mOut, cout);
    const RM = 8; // 8 rows per invocation share each kernel load: ~30% less CPU on LeNet conv2, same on conv1
    forward.push(
      record(
        ctx,
        'conv2d_direct',
        'forward',
        { ...d.constants, ...geometry, PADDED, RM },
        [io.x, io.kernel, bias, z],
        [ceilDiv(cout, d.cols), ceilDiv(mOut, (d.rows * RM) / 4), 1],
        `${name}:forward`,
      ),
    );
  } else {
    const tf = convTile(mOut, cout);
    forward.push(
      record(
        ctx,
        'conv2d',
        'forward',
        { ...tf, ...geometry },
        [io.x, io.kernel, bias, z],
        [ceilDiv(cout, tf.TN), ceilDiv(mOut, tf.TM), 1],
        `${name}:forward`,
      ),
    );
  }
  if (!fused) forward.push(activationForward(ctx, pass, z, io.y, `${name}:activation`));

  const backward: Dispatch[] = [];
  if (!fused) backward.push(activationBackward(ctx, pass, z, io.y, io.dY, dZ, `${name}:activation_backward`));
  else if (act !== 'linear') backward.push(activationGradFromY(ctx, pass, io.y, io.dY, dZ, `${name}:dZ`));
  if (io.dX && direct) {
    const mIn = batch * h * w;
    const d = directTile(mIn, cin);
    // 8 rows per invocation when narrow: its dZ loads are gathers, and 8 rows share each kernel load.
    const RM = d.constants.NL === 1 ? 8 : 4;
    backward.push(
      record(
        ctx,
        'conv2d_direct',
        'backward_dx',
        { ...d.constants, ...geometry, RM },
        [dZ, io.kernel, io.dX],
        [ceilDiv(cin, d.cols), ceilDiv(mIn, (d.rows * RM) / 4), 1],
        `${name}:backward_dx`,
      ),
    );
  } else if (io.dX) {
    const mIn = batch * h * w;
    const t = convTile(mIn, cin);
    backward.push(
      record(
        ctx,
        'conv2d',
        'backward_dx',
        { ...t, ...geometry },
        [dZ, io.kernel, io.dX],
        [ceilDiv(cin, t.TN), ceilDiv(mIn, t.TM), 1],
        `${name}:backward_dx`,
      ),
    );
  }
  if (io.dKernel) {
    const dBias = io.dBias ?? arena.storage(`${name}/unused-dbias`, cout);
    const rows = kh * kw * cin + 1;
    const t = convTile(rows, cout, false);
    const d = directTile(rows, cout);
    const tiles: [number, number] = direct
      ? [ceilDiv(cout, d.cols), ceilDiv(rows, d.rows)]
      : [ceilDiv(cout, t.TN), ceilDiv(rows, t.TM)];
    // The direct kernel's K slices are whole output rows.
    const { splits, chunk } = splitK(mOut, tiles[0] * tiles[1], direct ? px.out : t.TK);
    const split = { KCHUNK: chunk, SPLITS: splits };
    const c = { ...t, ...geometry, ...split };
    const stem = direct ? 'conv2d_direct' : 'conv2d';
    const dw = direct ? { ...d.constants, ...geometry, ...split, PADDED } : c;
    if (splits === 1) {
      backward.push(
        record(
          ctx,
          stem,
          'backward_dw',
          dw,
          [io.x, dZ, io.dKernel, dBias],
          [...tiles, 1],
          `${name}:backward_dw`,
        ),
      );
    } else {
      const partial = arena.storage(`${name}/dK-partial`, splits * rows * cout);
      backward.push(
        record(
          ctx,
          stem,
          'backward_dw',
          dw,
          [io.x, dZ, partial, dBias],
          [...tiles, splits],
          `${name}:backward_dw`,
        ),
        record(
          ctx,
          'conv2d',
          'reduce_dw',
          c,
          [partial, io.dKernel, dBias],
          [ceilDiv(rows * cout, t.WG), 1, 1],
          `${name}:reduce_dw`,
        ),
      );
    }
  }
  return { layerName: name, forwardTrain: forward, forwardInfer: forward, backward };
}

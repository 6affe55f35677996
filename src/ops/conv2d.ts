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
import { convTile, directTile, type GemmPlan, recordGemm, splitK } from './gemm';
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
  /**
   * The GEMM C[m, n] of one entry point in the context's family: its stem, constants and the part of C one
   * workgroup covers. Direct: 8 rows per lane, so each B load serves 8 rows; but 4 for the forward of narrow
   * convs (N <= 8: LeNet's first conv, 23.1 -> 19.2 ms per step on SwiftShader, `npm run bench -- --kernels`).
   */
  const plan = (m: number, n: number, entry: string): GemmPlan => {
    if (direct) {
      const d = directTile(m, n, entry === 'forward' && n <= 8 ? 4 : 8);
      const extra: Record<string, number> = entry === 'backward_dx' ? {} : { PADDED };
      return {
        stem: 'conv2d_direct',
        constants: { ...d.constants, ...geometry, ...extra },
        rows: d.rows,
        cols: d.cols,
      };
    }
    const t = convTile(m, n, entry !== 'backward_dw');
    return { stem: 'conv2d', constants: { ...t, ...geometry }, rows: t.TM, cols: t.TN, tk: t.TK };
  };
  const fp = plan(mOut, cout, 'forward');
  const forward = [recordGemm(ctx, fp, 'forward', [io.x, io.kernel, bias, z], mOut, cout, `${name}:forward`)];
  if (!fused) forward.push(activationForward(ctx, pass, z, io.y, `${name}:activation`));

  const backward: Dispatch[] = [];
  if (!fused) backward.push(activationBackward(ctx, pass, z, io.y, io.dY, dZ, `${name}:activation_backward`));
  else if (act !== 'linear') backward.push(activationGradFromY(ctx, pass, io.y, io.dY, dZ, `${name}:dZ`));
  if (io.dX) {
    const mIn = batch * h * w;
    const xp = plan(mIn, cin, 'backward_dx');
    backward.push(
      recordGemm(ctx, xp, 'backward_dx', [dZ, io.kernel, io.dX], mIn, cin, `${name}:backward_dx`),
    );
  }
  if (io.dKernel) {
    const dBias = io.dBias ?? arena.storage(`${name}/unused-dbias`, cout);
    const rows = kh * kw * cin + 1;
    const wp = plan(rows, cout, 'backward_dw');
    // The direct kernel's K slices are whole output rows.
    const tiles = ceilDiv(cout, wp.cols) * ceilDiv(rows, wp.rows);
    const { splits, chunk } = splitK(mOut, tiles, wp.tk ?? px.out);
    Object.assign(wp.constants, { KCHUNK: chunk, SPLITS: splits });
    const partial = splits > 1 ? arena.storage(`${name}/dK-partial`, splits * rows * cout) : io.dKernel;
    const buffers = [io.x, dZ, partial, dBias];
    backward.push(recordGemm(ctx, wp, 'backward_dw', buffers, rows, cout, `${name}:backward_dw`, splits));
    if (splits > 1) {
      const r = convTile(rows, cout, false);
      const c = { ...r, ...geometry, KCHUNK: chunk, SPLITS: splits };
      const sum = [partial, io.dKernel, dBias];
      backward.push(
        record(ctx, 'conv2d', 'reduce_dw', c, sum, [ceilDiv(rows * cout, r.WG), 1, 1], `${name}:reduce_dw`),
      );
    }
  }
  return { layerName: name, forwardTrain: forward, forwardInfer: forward, backward };
}

// Conv2D as implicit GEMM (shaders/conv2d.wgsl): forward with bias and activation fused, dX as a transposed
// conv, and [dK; db] as one split-K GEMM over batch*OH*OW whose partial sums a small pass adds up.
import type { Dispatch, GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import {
  type ActivationPass,
  activationBackward,
  activationForward,
  activationGradFromY,
} from './activation';
import { actId, axisPlan, ceilDiv, defaultAlpha, fusable, layerActivation, record } from './common';
import type { LayerBuffers, LayerOp, LayerOpOptions } from './types';

/**
 * Tuning knob, set by benchmarks: the K-tile depth of every conv GEMM. 16 halves the workgroup barriers of 8,
 * which is most of what a barrier-heavy loop costs on SwiftShader (~30% less CPU time on the LeNet layers).
 */
export const convTuning = { tk: 16 };

/**
 * Tile of one conv GEMM C[M, N] (see the header of shaders/conv2d.wgsl): N <= 8 uses the narrow 4x8 register
 * tile (TN = 8, invocations along M), wider N a 4x4 tile with TN covering N up to 64. TM shrinks for small M.
 */
export function convTile(m: number, n: number, wgAtLeastTk = true, tk = convTuning.tk) {
  const narrow = n <= 8;
  const TN = narrow ? 8 : n <= 16 ? 16 : n <= 32 ? 32 : 64;
  let TM = 64;
  // The forward / dX A-tile loaders need WG >= TK (narrow WG = TM / 4); backward_dw's does not.
  const minTM = narrow && wgAtLeastTk ? 4 * tk : 16;
  while (TM > minTM && TM / 2 >= m) TM /= 2;
  const WG = narrow ? TM / 4 : (TM / 4) * (TN / 4);
  return {
    TM,
    TN,
    TK: tk,
    NARROW: narrow ? 1 : 0,
    WG,
    MREP: Math.max(TM / WG, 1),
    KSTEP: Math.max(WG / TM, 1),
  };
}

/** Split-K plan for dK: enough workgroups to fill the GPU, each over at least `minChunk` of K. */
export function splitK(k: number, tilesMN: number, tk: number, target = 64, minChunk = 512) {
  const wanted = Math.max(1, Math.ceil(target / tilesMN));
  const splits = Math.max(1, Math.min(wanted, Math.floor(k / minChunk)));
  const chunk = Math.ceil(Math.ceil(k / splits) / tk) * tk;
  return { splits: Math.ceil(k / chunk), chunk };
}

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
  const tf = convTile(mOut, cout);
  const forward: Dispatch[] = [
    record(
      ctx,
      'conv2d',
      'forward',
      { ...tf, ...geometry },
      [io.x, io.kernel, bias, z],
      [ceilDiv(cout, tf.TN), ceilDiv(mOut, tf.TM), 1],
      `${name}:forward`,
    ),
  ];
  if (!fused) forward.push(activationForward(ctx, pass, z, io.y, `${name}:activation`));

  const backward: Dispatch[] = [];
  if (!fused) backward.push(activationBackward(ctx, pass, z, io.y, io.dY, dZ, `${name}:activation_backward`));
  else if (act !== 'linear') backward.push(activationGradFromY(ctx, pass, io.y, io.dY, dZ, `${name}:dZ`));
  if (io.dX) {
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
    const tiles: [number, number] = [ceilDiv(cout, t.TN), ceilDiv(rows, t.TM)];
    const { splits, chunk } = splitK(mOut, tiles[0] * tiles[1], t.TK);
    const c = { ...t, ...geometry, KCHUNK: chunk, SPLITS: splits };
    if (splits === 1) {
      backward.push(
        record(
          ctx,
          'conv2d',
          'backward_dw',
          c,
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
          'conv2d',
          'backward_dw',
          c,
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

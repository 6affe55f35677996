// Dense: y = act(x K + b) as one tiled matmul with bias and activation fused; backward is two matmuls,
// dX = dZ K^T and [dK; db] = [x^T; 1^T] dZ, each turning dY into dZ = dY * act'(y) as it loads tiles.
// Activations whose derivative needs more than y (softmax, swish, gelu) run as separate passes through a
// private pre-activation buffer z and gradient buffer dZ.
import type { Dispatch, GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import {
  type ActivationPass,
  activationBackward,
  activationForward,
  activationGradFromY,
} from './activation';
import { actId, defaultAlpha, fusable, layerActivation } from './common';
import { directTile, type GemmPlan, gemmTile, recordGemm } from './gemm';
import type { LayerBuffers, LayerOp, LayerOpOptions } from './types';

export function createDense(
  ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  opts: LayerOpOptions,
): LayerOp {
  if (layer.layer.className !== 'Dense') throw new Error(`createDense got ${layer.layer.className}`);
  const cfg = layer.layer.config;
  const name = cfg.name;
  // Keras applies Dense to the last axis: each position of an N-D input is one row of the matmul.
  const rows = opts.batch * layer.inputShape.slice(0, -1).reduce((a, b) => a * b, 1);
  const fin = layer.inputShape[layer.inputShape.length - 1];
  const fout = cfg.units;
  if (!io.kernel) throw new Error(`${name}: no kernel buffer`);
  const act = layerActivation(cfg.activation, opts.softmaxInLoss);
  const fused = fusable(act);
  const alpha = defaultAlpha(act);
  const arena = ctx.arena;
  const bias = io.bias ?? arena.storage(`${name}/zero-bias`, fout);
  const shape = { ROWS: rows, FIN: fin, FOUT: fout, ACT: fused ? actId(act) : 0, ALPHA: alpha };

  // Unfused activations: the matmul writes z, a pass maps z -> y; backward maps dY -> dZ first.
  const pass: ActivationPass = { name: act, alpha, count: rows * fout, rowLen: fout };
  const z = fused ? io.y : arena.storage(`${name}/z`, rows * fout);
  // The direct family (CPU adapters, src/gpu/family.ts) runs Dense as a 1x1 conv on a 1x1 image through the
  // barrier-free kernels of shaders/conv2d_direct.wgsl. Those read dZ, so a fused activation's dZ = dY * act'(y)
  // is one elementwise pass first; the tiled kernels of dense.wgsl read y and fold it into their tile loads.
  const direct = ctx.family === 'direct';
  const one = { H: 1, W: 1, OH: 1, OW: 1, KH: 1, KW: 1, SH: 1, SW: 1, TOP: 0, LEFT: 0 };
  const asConv = { ...one, BATCH: rows, CIN: fin, COUT: fout, ACT: shape.ACT, ALPHA: alpha };
  const plan = (m: number, n: number, entry: string): GemmPlan => {
    if (!direct) {
      const t = gemmTile(m, n);
      return { stem: 'dense', constants: { ...t, ...shape }, rows: t.TM, cols: t.TN };
    }
    const dw = entry === 'backward_dw';
    const d = directTile(m, n, 8);
    const extra: Record<string, number> = entry === 'backward_dx' ? {} : { PADDED: 0 };
    if (dw) Object.assign(extra, { KCHUNK: rows, SPLITS: 1 });
    return {
      stem: 'conv2d_direct',
      constants: { ...d.constants, ...asConv, ...extra },
      rows: d.rows,
      cols: d.cols,
    };
  };
  const kernel = io.kernel;
  const forward = [
    recordGemm(
      ctx,
      plan(rows, fout, 'forward'),
      'forward',
      [io.x, kernel, bias, z],
      rows,
      fout,
      `${name}:forward`,
    ),
  ];
  if (!fused) forward.push(activationForward(ctx, pass, z, io.y, `${name}:activation`));

  const backward: Dispatch[] = [];
  const dZ = (direct ? act !== 'linear' : !fused) ? arena.storage(`${name}/dZ`, rows * fout) : io.dY;
  if (!fused) backward.push(activationBackward(ctx, pass, z, io.y, io.dY, dZ, `${name}:activation_backward`));
  else if (direct && act !== 'linear')
    backward.push(activationGradFromY(ctx, pass, io.y, io.dY, dZ, `${name}:dZ`));
  // The tiled kernels also bind y, for act'(y).
  const y = direct ? [] : [io.y];
  if (io.dX) {
    const xp = plan(rows, fin, 'backward_dx');
    backward.push(
      recordGemm(ctx, xp, 'backward_dx', [dZ, ...y, kernel, io.dX], rows, fin, `${name}:backward_dx`),
    );
  }
  if (io.dKernel) {
    const dBias = io.dBias ?? arena.storage(`${name}/unused-dbias`, fout);
    const wp = plan(fin + 1, fout, 'backward_dw');
    const buffers = [io.x, dZ, ...y, io.dKernel, dBias];
    backward.push(recordGemm(ctx, wp, 'backward_dw', buffers, fin + 1, fout, `${name}:backward_dw`));
  }
  return { layerName: name, forwardTrain: forward, forwardInfer: forward, backward };
}

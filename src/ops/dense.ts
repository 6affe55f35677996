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
import { actId, ceilDiv, defaultAlpha, fusable, layerActivation, record } from './common';
import { directTile, gemmTile } from './gemm';
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
  if (ctx.family === 'direct') {
    return createDenseDirect(ctx, name, io, { rows, fin, fout }, act, pass, z, bias);
  }
  const dZ = fused ? io.dY : arena.storage(`${name}/dZ`, rows * fout);

  const tf = gemmTile(rows, fout);
  const forward: Dispatch[] = [
    record(
      ctx,
      'dense',
      'forward',
      { ...tf, ...shape },
      [io.x, io.kernel, bias, z],
      [ceilDiv(fout, tf.TN), ceilDiv(rows, tf.TM), 1],
      `${name}:forward`,
    ),
  ];
  if (!fused) forward.push(activationForward(ctx, pass, z, io.y, `${name}:activation`));

  const backward: Dispatch[] = [];
  if (!fused) backward.push(activationBackward(ctx, pass, z, io.y, io.dY, dZ, `${name}:activation_backward`));
  if (io.dX) {
    const t = gemmTile(rows, fin);
    backward.push(
      record(
        ctx,
        'dense',
        'backward_dx',
        { ...t, ...shape },
        [dZ, io.y, io.kernel, io.dX],
        [ceilDiv(fin, t.TN), ceilDiv(rows, t.TM), 1],
        `${name}:backward_dx`,
      ),
    );
  }
  if (io.dKernel) {
    const dBias = io.dBias ?? arena.storage(`${name}/unused-dbias`, fout);
    const t = gemmTile(fin + 1, fout);
    backward.push(
      record(
        ctx,
        'dense',
        'backward_dw',
        { ...t, ...shape },
        [io.x, dZ, io.y, io.dKernel, dBias],
        [ceilDiv(fout, t.TN), ceilDiv(fin + 1, t.TM), 1],
        `${name}:backward_dw`,
      ),
    );
  }
  return { layerName: name, forwardTrain: forward, forwardInfer: forward, backward };
}

/**
 * The direct family (CPU adapters, src/gpu/family.ts): a dense layer is a 1x1 conv on a 1x1 image, so it runs on the barrier-free
 * kernels of shaders/conv2d_direct.wgsl. Those read dZ, so a fused activation's dZ = dY * act'(y) is one
 * elementwise pass first (the tiled kernels fold it into their tile loads).
 */
function createDenseDirect(
  ctx: GpuContext,
  name: string,
  io: LayerBuffers,
  { rows, fin, fout }: { rows: number; fin: number; fout: number },
  act: string,
  pass: ActivationPass,
  z: GPUBuffer,
  bias: GPUBuffer,
): LayerOp {
  const kernel = io.kernel as GPUBuffer;
  const fused = fusable(act);
  const arena = ctx.arena;
  const one = { H: 1, W: 1, OH: 1, OW: 1, KH: 1, KW: 1, SH: 1, SW: 1, TOP: 0, LEFT: 0, PADDED: 0 };
  const g = { ...one, BATCH: rows, CIN: fin, COUT: fout, ACT: fused ? actId(act) : 0, ALPHA: pass.alpha };
  const tf = directTile(rows, fout);
  const forward: Dispatch[] = [
    record(
      ctx,
      'conv2d_direct',
      'forward',
      { ...tf.constants, ...g },
      [io.x, kernel, bias, z],
      [ceilDiv(fout, tf.cols), ceilDiv(rows, tf.rows), 1],
      `${name}:forward`,
    ),
  ];
  if (!fused) forward.push(activationForward(ctx, pass, z, io.y, `${name}:activation`));
  const backward: Dispatch[] = [];
  const dZ = act === 'linear' ? io.dY : arena.storage(`${name}/dZ`, rows * fout);
  if (!fused) backward.push(activationBackward(ctx, pass, z, io.y, io.dY, dZ, `${name}:activation_backward`));
  else if (act !== 'linear') backward.push(activationGradFromY(ctx, pass, io.y, io.dY, dZ, `${name}:dZ`));
  if (io.dX) {
    const t = directTile(rows, fin);
    backward.push(
      record(
        ctx,
        'conv2d_direct',
        'backward_dx',
        { ...t.constants, ...g },
        [dZ, kernel, io.dX],
        [ceilDiv(fin, t.cols), ceilDiv(rows, t.rows), 1],
        `${name}:backward_dx`,
      ),
    );
  }
  if (io.dKernel) {
    const dBias = io.dBias ?? arena.storage(`${name}/unused-dbias`, fout);
    const t = directTile(fin + 1, fout);
    backward.push(
      record(
        ctx,
        'conv2d_direct',
        'backward_dw',
        { ...t.constants, ...g, KCHUNK: rows, SPLITS: 1 },
        [io.x, dZ, io.dKernel, dBias],
        [ceilDiv(fout, t.cols), ceilDiv(fin + 1, t.rows), 1],
        `${name}:backward_dw`,
      ),
    );
  }
  return { layerName: name, forwardTrain: forward, forwardInfer: forward, backward };
}

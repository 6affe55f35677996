// Conv2DTranspose through conv2d's kernels (both families). With K [kh, kw, out, in] read as the kernel of a
// "mirror" Conv2D from the transpose's output shape [OH, OW, out] to its input shape [H, W, in] (same strides and
// padding), the transpose's
//   forward   z = mirror's dX for dY = x            (conv2d backward_dx)
//   dX          = mirror's forward of dZ            (conv2d forward, no bias, linear)
//   dK          = mirror's dK for input dZ, dY = x  (conv2d backward_dw; its dBias is a sum of x and unused)
// and shaders/conv2d_transpose.wgsl adds what is the transpose's own: bias + activation after z, and dBias.
import type { Dispatch } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import { type ActivationPass, activationPasses, activationPlan } from './activation';
import { ceilDiv, gridStride, kernelsOf, layerActivation, layerAs, statelessOp } from './common';
import { createConv2d } from './conv2d';
import { param } from './params';
import type { LayerOpFactory } from './types';

const WG = 64;
const TARGET_INVOCATIONS = 4096;
const MIN_CHUNK = 16;

export const createConv2dTranspose: LayerOpFactory = (ctx, layer, io, opts) => {
  const cfg = layerAs(layer, 'createConv2dTranspose', 'Conv2DTranspose').config;
  const name = cfg.name;
  const kernel = param(io, name, 'kernel');
  const bias = cfg.use_bias ? param(io, name, 'bias') : null;
  const [oh, ow, cout] = layer.outputShape;
  const rows = opts.batch * oh * ow;
  const yCount = rows * cout;
  const act = layerActivation(cfg.activation, opts.softmaxInLoss);
  const { fused, ACT, ALPHA: alpha } = activationPlan(act);
  const arena = ctx.arena;
  const mirror: BuiltLayer = {
    layer: {
      className: 'Conv2D',
      config: {
        name: `${name}/mirror`,
        filters: layer.inputShape[2],
        kernel_size: cfg.kernel_size,
        strides: cfg.strides,
        padding: cfg.padding,
        activation: 'linear',
        use_bias: false,
        kernel_initializer: cfg.kernel_initializer,
        bias_initializer: cfg.bias_initializer,
      },
    },
    inputShape: layer.outputShape,
    inputShapes: [layer.outputShape],
    inbound: layer.inbound,
    outputShape: layer.inputShape,
    params: [],
    paramCount: 0,
  };
  const z = arena.storage(`${name}/z`, yCount);
  // Fused activations write y = act(z + b) directly; the others go through zb = z + b and an activation pass.
  const zb = fused ? io.y : arena.storage(`${name}/z+bias`, yCount);
  const dZ = act === 'linear' ? io.dY : arena.storage(`${name}/dZ`, yCount);
  const mirrorOpts = { ...opts, softmaxInLoss: false };
  // Only the mirror's backward_dx is used: x -> z. Its forward is recorded (never run) into buffers it cannot harm.
  const forwardConv = createConv2d(
    ctx,
    mirror,
    { x: dZ, y: io.y, dX: z, dY: io.x, step: io.step, kernel: kernel.value },
    mirrorOpts,
  );
  // Mirror forward (dZ -> dX) and dK (from dZ and x).
  const backwardConv = createConv2d(
    ctx,
    mirror,
    {
      x: dZ,
      y: io.dX ?? io.y,
      dX: null,
      dY: io.x,
      step: io.step,
      kernel: kernel.value,
      dKernel: kernel.grad ?? undefined,
    },
    mirrorOpts,
  );
  const biasBuf = bias?.value ?? arena.storage(`${name}/zero-bias`, cout);
  const wanted = Math.max(1, Math.min(Math.ceil(TARGET_INVOCATIONS / cout), Math.ceil(rows / MIN_CHUNK)));
  const chunk = Math.ceil(rows / wanted);
  const parts = Math.ceil(rows / chunk);
  const k = {
    WG,
    ROWS: rows,
    C: cout,
    PARTS: parts,
    CHUNK: chunk,
    ACT,
    ALPHA: alpha,
  };
  const run = kernelsOf(ctx, 'conv2d_transpose', name, k);
  const pass: ActivationPass = { name: act, alpha, count: yCount, rowLen: cout };

  const forward: Dispatch[] = [
    ...forwardConv.backward,
    run('bias_act', [z, biasBuf, zb], gridStride(yCount, WG)),
  ];
  const around = activationPasses(ctx, pass, fused, { z: zb, y: io.y, dY: io.dY, dZ }, name);
  forward.push(...around.forward);

  const backward: Dispatch[] = [...around.backward];
  if (io.dX) backward.push(...backwardConv.forwardTrain);
  backward.push(...backwardConv.backward);
  if (bias?.grad) {
    const partial = arena.storage(`${name}/dbias-partial`, parts * cout);
    backward.push(
      run('bias_grad_partial', [dZ, partial], [ceilDiv(parts * cout, WG), 1, 1], 'dbias'),
      run('bias_grad_reduce', [partial, bias.grad], [ceilDiv(cout, WG), 1, 1], 'reduce_dbias'),
    );
  }
  return statelessOp(name, forward, backward);
};

// DepthwiseConv2D (shaders/depthwise_conv2d.wgsl), and SeparableConv2D as that depthwise conv followed by a 1x1
// Conv2D through the conv2d op. Weights by Keras name: depthwise_kernel [kh, kw, in, depth_multiplier], bias;
// SeparableConv2D adds pointwise_kernel [1, 1, in * depth_multiplier, filters] and puts its bias on the
// pointwise conv.
//
// One kernel family for every adapter: a depthwise conv does KH*KW multiply-adds per output and is bound by
// memory traffic, not arithmetic, so the workgroup tiles that pay off for conv2d's GEMMs have little to reuse;
// the gather kernels need no barriers (what CPU adapters want) and read channel-fastest (what GPUs want).
import type { Dispatch, GpuContext } from '../gpu/context';
import type { Layer } from '../model/layers';
import type { BuiltLayer } from '../model/sequential';
import { type ActivationPass, activationPasses, activationPlan } from './activation';
import { axisPlan, ceilDiv, gridStride, kernelsOf, layerActivation, layerAs, statelessOp } from './common';
import { createConv2d } from './conv2d';
import { param } from './params';
import type { LayerBuffers, LayerOp, LayerOpFactory, LayerOpOptions } from './types';

const WG = 64;
/** Partial sums of dK aim at about this many invocations in all, each over at least MIN_CHUNK pixels. */
const TARGET_INVOCATIONS = 4096;
const MIN_CHUNK = 16;

/** Tuning knob for tests and benchmarks: false runs the general kernels for 3x3 stride 1 too. */
export const depthwiseTuning = { blocked: true };

export function depthwiseParts(pixels: number, weights: number): { parts: number; chunk: number } {
  const wanted = Math.max(
    1,
    Math.min(Math.ceil(TARGET_INVOCATIONS / weights), Math.ceil(pixels / MIN_CHUNK)),
  );
  const chunk = Math.ceil(pixels / wanted);
  return { parts: Math.ceil(pixels / chunk), chunk };
}

interface DepthwiseSpec {
  name: string;
  inputShape: number[];
  kernelSize: [number, number];
  strides: [number, number];
  padding: 'valid' | 'same';
  mult: number;
  activation: string;
}

/** The dispatches of one depthwise conv: x -> y with kernel (and bias), dY -> dX, dK, dBias. */
function depthwise(
  ctx: GpuContext,
  s: DepthwiseSpec,
  io: { x: GPUBuffer; y: GPUBuffer; dX: GPUBuffer | null; dY: GPUBuffer },
  w: { kernel: GPUBuffer; dKernel: GPUBuffer | null; bias: GPUBuffer | null; dBias: GPUBuffer | null },
  batch: number,
): { forward: Dispatch[]; backward: Dispatch[] } {
  const [h, wd, cin] = s.inputShape;
  const [kh, kw] = s.kernelSize;
  const py = axisPlan(h, kh, s.strides[0], s.padding);
  const px = axisPlan(wd, kw, s.strides[1], s.padding);
  const cout = cin * s.mult;
  const act = s.activation;
  const { fused, ACT, ALPHA: alpha } = activationPlan(act);
  const pixels = batch * py.out * px.out;
  const yCount = pixels * cout;
  const weights = (kh * kw + 1) * cout;
  const { parts, chunk } = depthwiseParts(pixels, weights);
  const k = {
    WG,
    BATCH: batch,
    H: h,
    W: wd,
    CIN: cin,
    MULT: s.mult,
    OH: py.out,
    OW: px.out,
    KH: kh,
    KW: kw,
    SH: s.strides[0],
    SW: s.strides[1],
    TOP: py.before,
    LEFT: px.before,
    PARTS: parts,
    CHUNK: chunk,
    ACT,
    ALPHA: alpha,
  };
  const arena = ctx.arena;
  const name = s.name;
  const bias = w.bias ?? arena.storage(`${name}/zero-bias`, cout);
  const pass: ActivationPass = { name: act, alpha, count: yCount, rowLen: cout };
  const z = fused ? io.y : arena.storage(`${name}/z`, yCount);
  const dZ = act === 'linear' ? io.dY : arena.storage(`${name}/dZ`, yCount);

  // 3x3 multiplier 1 with strides 1 or 2 (MobileNet's depthwise layers): the four-outputs-per-invocation kernels.
  const stride = s.strides[0];
  const three =
    depthwiseTuning.blocked &&
    kh === 3 &&
    kw === 3 &&
    s.mult === 1 &&
    s.strides[1] === stride &&
    (stride === 1 || stride === 2);
  const threeDx = three && stride === 1;
  const blocks = (hh: number, ww: number) => batch * hh * Math.ceil(ww / 4) * cin;
  const run = kernelsOf(ctx, 'depthwise_conv2d', name, k);
  // The four-output kernels' source (x or dZ) and destination (y or dX) sizes, and the source's padding.
  const fwd3 = {
    SRC_H: h,
    SRC_W: wd,
    DST_H: py.out,
    DST_W: px.out,
    PT: py.before,
    PL: px.before,
    S3: stride,
  };
  const forward = [
    three
      ? run('forward3x3', [io.x, w.kernel, bias, z], gridStride(blocks(py.out, px.out), WG), 'forward', fwd3)
      : run('forward', [io.x, w.kernel, bias, z], gridStride(yCount, WG)),
  ];
  const around = activationPasses(ctx, pass, fused, { z, y: io.y, dY: io.dY, dZ }, name);
  forward.push(...around.forward);

  const backward: Dispatch[] = [...around.backward];
  if (io.dX) {
    const dx = [dZ, w.kernel, io.dX];
    const dx3 = { SRC_H: py.out, SRC_W: px.out, DST_H: h, DST_W: wd };
    const grid3 = gridStride(blocks(h, wd), WG);
    backward.push(
      threeDx
        ? run('backward_dx3x3', dx, grid3, 'backward_dx', { ...dx3, PT: 2 - py.before, PL: 2 - px.before })
        : three
          ? run('backward_dx3x3s2', dx, grid3, 'backward_dx', { ...dx3, PT: py.before, PL: px.before })
          : run('backward_dx', dx, gridStride(batch * h * wd * cin, WG)),
    );
  }
  if (w.dKernel) {
    const dBias = w.dBias ?? arena.storage(`${name}/unused-dbias`, cout);
    // 3x3 blocked: parts over whole output rows, one invocation per (part, channel) for all ten weights.
    const rowParts = three ? depthwiseParts(batch * py.out, cout) : null;
    const dwParts = rowParts?.parts ?? parts;
    const partial = arena.storage(`${name}/dK-partial`, dwParts * weights);
    const dw = [io.x, dZ, partial];
    backward.push(
      rowParts
        ? run('backward_dw3x3_partial', dw, [ceilDiv(dwParts * cout, WG), 1, 1], 'backward_dw', {
            ...fwd3,
            PARTS: dwParts,
            CHUNK: rowParts.chunk,
          })
        : run('backward_dw_partial', dw, [ceilDiv(parts * weights, WG), 1, 1], 'backward_dw'),
      run('backward_dw_reduce', [partial, w.dKernel, dBias], [ceilDiv(weights, WG), 1, 1], 'reduce_dw', {
        PARTS: dwParts,
      }),
    );
  }
  return { forward, backward };
}

export const createDepthwiseConv2d: LayerOpFactory = (ctx, layer, io, opts) => {
  const l = layerAs(layer, 'createDepthwiseConv2d', 'DepthwiseConv2D', 'SeparableConv2D');
  const cfg = l.config;
  const name = cfg.name;
  const kernel = param(io, name, 'depthwise_kernel');
  const spec: DepthwiseSpec = {
    name,
    inputShape: layer.inputShape,
    kernelSize: cfg.kernel_size,
    strides: cfg.strides,
    padding: cfg.padding,
    mult: cfg.depth_multiplier,
    activation: layerActivation(cfg.activation, opts.softmaxInLoss),
  };
  if (l.className === 'DepthwiseConv2D') {
    const bias = cfg.use_bias ? param(io, name, 'bias') : null;
    const d = depthwise(
      ctx,
      spec,
      io,
      { kernel: kernel.value, dKernel: kernel.grad, bias: bias?.value ?? null, dBias: bias?.grad ?? null },
      opts.batch,
    );
    return statelessOp(name, d.forward, d.backward);
  }
  return separable(ctx, layer, l.config, io, opts, spec, kernel);
};

/** SeparableConv2D: depthwise (no bias, linear) into mid, then the pointwise 1x1 Conv2D op from mid to y. */
function separable(
  ctx: GpuContext,
  layer: BuiltLayer,
  cfg: Extract<Layer, { className: 'SeparableConv2D' }>['config'],
  io: LayerBuffers,
  opts: LayerOpOptions,
  spec: DepthwiseSpec,
  kernel: { value: GPUBuffer; grad: GPUBuffer | null },
): LayerOp {
  const name = cfg.name;
  const pointwise = param(io, name, 'pointwise_kernel');
  const bias = cfg.use_bias ? param(io, name, 'bias') : null;
  const [oh, ow] = layer.outputShape;
  const midShape = [oh, ow, layer.inputShape[2] * cfg.depth_multiplier];
  const midCount = opts.batch * midShape[0] * midShape[1] * midShape[2];
  const mid = ctx.arena.storage(`${name}/depthwise-out`, midCount);
  const dMid = ctx.arena.storage(`${name}/depthwise-dY`, midCount);
  const d = depthwise(
    ctx,
    { ...spec, name: `${name}/depthwise`, activation: 'linear' },
    { x: io.x, y: mid, dX: io.dX, dY: dMid },
    { kernel: kernel.value, dKernel: kernel.grad, bias: null, dBias: null },
    opts.batch,
  );
  const pointwiseLayer: BuiltLayer = {
    layer: {
      className: 'Conv2D',
      config: {
        name: `${name}/pointwise`,
        filters: cfg.filters,
        kernel_size: [1, 1],
        strides: [1, 1],
        padding: 'valid',
        activation: cfg.activation,
        use_bias: cfg.use_bias,
        kernel_initializer: cfg.pointwise_initializer,
        bias_initializer: cfg.bias_initializer,
      },
    },
    inputShape: midShape,
    inputShapes: [midShape],
    inbound: layer.inbound,
    outputShape: layer.outputShape,
    params: [],
    paramCount: 0,
  };
  const p = createConv2d(
    ctx,
    pointwiseLayer,
    {
      x: mid,
      y: io.y,
      dX: dMid,
      dY: io.dY,
      step: io.step,
      kernel: pointwise.value,
      dKernel: pointwise.grad ?? undefined,
      bias: bias?.value,
      dBias: bias?.grad ?? undefined,
    },
    opts,
  );
  return {
    layerName: name,
    forwardTrain: [...d.forward, ...p.forwardTrain],
    forwardInfer: [...d.forward, ...p.forwardInfer],
    backward: [...p.backward, ...d.backward],
  };
}

// The Activation layer, and the standalone activation passes Conv2D/Dense use for activations they cannot
// fuse (softmax over the last axis, swish, gelu).
import type { Dispatch, GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import { actId, ceilDiv, defaultAlpha, gridStride, layerActivation, record, sizeOf } from './common';
import type { LayerBuffers, LayerOp, LayerOpOptions } from './types';

const WG = 64;

export interface ActivationPass {
  name: string;
  alpha: number;
  /** Elements in the tensor, and the length of its last axis (softmax rows). */
  count: number;
  rowLen: number;
}

/** y = act(x). */
export function activationForward(
  ctx: GpuContext,
  p: ActivationPass,
  x: GPUBuffer,
  y: GPUBuffer,
  label: string,
): Dispatch {
  if (p.name === 'softmax') {
    const rows = p.count / p.rowLen;
    const c = { WG, ROWS: rows, ROW_LEN: p.rowLen };
    return record(ctx, 'activations', 'softmax_forward', c, [x, y], [ceilDiv(rows, WG), 1, 1], label);
  }
  const c = { WG, COUNT: p.count, ACT: actId(p.name), ALPHA: p.alpha };
  return record(ctx, 'activations', 'forward', c, [x, y], gridStride(p.count, WG), label);
}

/** dX = dY * act'(x) (softmax: y * (dY - <dY, y>) per row). */
export function activationBackward(
  ctx: GpuContext,
  p: ActivationPass,
  x: GPUBuffer,
  y: GPUBuffer,
  dY: GPUBuffer,
  dX: GPUBuffer,
  label: string,
): Dispatch {
  if (p.name === 'softmax') {
    const rows = p.count / p.rowLen;
    const c = { WG, ROWS: rows, ROW_LEN: p.rowLen };
    return record(ctx, 'activations', 'softmax_backward', c, [y, dY, dX], [ceilDiv(rows, WG), 1, 1], label);
  }
  const c = { WG, COUNT: p.count, ACT: actId(p.name), ALPHA: p.alpha };
  return record(ctx, 'activations', 'backward', c, [x, y, dY, dX], gridStride(p.count, WG), label);
}

/** dZ = dY * act'(z) from the saved output y alone (the activations conv2d/dense fuse). */
export function activationGradFromY(
  ctx: GpuContext,
  p: ActivationPass,
  y: GPUBuffer,
  dY: GPUBuffer,
  dZ: GPUBuffer,
  label: string,
): Dispatch {
  const c = { WG, COUNT: p.count, ACT: actId(p.name), ALPHA: p.alpha };
  return record(ctx, 'activations', 'backward_from_y', c, [y, dY, dZ], gridStride(p.count, WG), label);
}

export function createActivation(
  ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  opts: LayerOpOptions,
): LayerOp {
  if (layer.layer.className !== 'Activation')
    throw new Error(`createActivation got ${layer.layer.className}`);
  const cfg = layer.layer.config;
  const name = layerActivation(cfg.activation, opts.softmaxInLoss);
  const pass: ActivationPass = {
    name,
    alpha: cfg.alpha ?? defaultAlpha(name),
    count: opts.batch * sizeOf(layer.inputShape),
    rowLen: layer.inputShape[layer.inputShape.length - 1],
  };
  const forward = [activationForward(ctx, pass, io.x, io.y, `${cfg.name}:forward`)];
  const backward = io.dX
    ? [activationBackward(ctx, pass, io.x, io.y, io.dY, io.dX, `${cfg.name}:backward`)]
    : [];
  return { layerName: cfg.name, forwardTrain: forward, forwardInfer: forward, backward };
}

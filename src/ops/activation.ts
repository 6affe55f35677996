// The Activation layer, and the standalone activation passes Conv2D/Dense use for activations they cannot
// fuse (softmax over the last axis, swish, gelu).
import type { Dispatch, GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import {
  actId,
  ceilDiv,
  defaultAlpha,
  fusable,
  gridStride,
  layerActivation,
  layerAs,
  record,
  sizeOf,
  statelessOp,
} from './common';
import type { LayerBuffers, LayerOp, LayerOpOptions } from './types';

const WG = 64;

export interface ActivationPass {
  name: string;
  alpha: number;
  /** Elements in the tensor, and the length of its last axis (softmax rows). */
  count: number;
  rowLen: number;
}

/** An elementwise entry of shaders/activations.wgsl over pass p: grid-stride, ACT and ALPHA from p. */
function elementwise(ctx: GpuContext, p: ActivationPass, entry: string, buffers: GPUBuffer[], label: string) {
  const c = { WG, COUNT: p.count, ACT: actId(p.name), ALPHA: p.alpha };
  return record(ctx, 'activations', entry, c, buffers, gridStride(p.count, WG), label);
}

/** A softmax entry over pass p's rows of the last axis: one invocation per row. */
function perRow(ctx: GpuContext, p: ActivationPass, entry: string, buffers: GPUBuffer[], label: string) {
  const rows = p.count / p.rowLen;
  const c = { WG, ROWS: rows, ROW_LEN: p.rowLen };
  return record(ctx, 'activations', entry, c, buffers, [ceilDiv(rows, WG), 1, 1], label);
}

/** y = act(x). */
export function activationForward(
  ctx: GpuContext,
  p: ActivationPass,
  x: GPUBuffer,
  y: GPUBuffer,
  label: string,
): Dispatch {
  if (p.name === 'softmax') return perRow(ctx, p, 'softmax_forward', [x, y], label);
  return elementwise(ctx, p, 'forward', [x, y], label);
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
  if (p.name === 'softmax') return perRow(ctx, p, 'softmax_backward', [y, dY, dX], label);
  return elementwise(ctx, p, 'backward', [x, y, dY, dX], label);
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
  return elementwise(ctx, p, 'backward_from_y', [y, dY, dZ], label);
}

/**
 * How a conv-like op applies activation `name`: fused into its kernels (ACT is the id; its derivative follows
 * from y) or, when not fusable, ACT = linear in the kernels and a separate activations pass; ALPHA its default.
 */
export function activationPlan(name: string): { fused: boolean; ACT: number; ALPHA: number } {
  const fused = fusable(name);
  return { fused, ACT: fused ? actId(name) : 0, ALPHA: defaultAlpha(name) };
}

/**
 * The activation passes around a conv-like op whose kernels write z (or y = act(z) themselves when `fused`) and
 * read dZ: forward z -> y when not fused; backward dY -> dZ (none for linear, whose dZ is dY). Labels
 * `<name>:activation`, `<name>:activation_backward`, `<name>:dZ`.
 */
export function activationPasses(
  ctx: GpuContext,
  pass: ActivationPass,
  fused: boolean,
  b: { z: GPUBuffer; y: GPUBuffer; dY: GPUBuffer; dZ: GPUBuffer },
  name: string,
): { forward: Dispatch[]; backward: Dispatch[] } {
  if (!fused) {
    return {
      forward: [activationForward(ctx, pass, b.z, b.y, `${name}:activation`)],
      backward: [activationBackward(ctx, pass, b.z, b.y, b.dY, b.dZ, `${name}:activation_backward`)],
    };
  }
  const backward =
    pass.name === 'linear' ? [] : [activationGradFromY(ctx, pass, b.y, b.dY, b.dZ, `${name}:dZ`)];
  return { forward: [], backward };
}

export function createActivation(
  ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  opts: LayerOpOptions,
): LayerOp {
  const cfg = layerAs(layer, 'createActivation', 'Activation').config;
  const name = layerActivation(cfg.activation, opts.softmaxInLoss);
  const pass: ActivationPass = {
    name,
    alpha: cfg.alpha ?? defaultAlpha(name),
    count: opts.batch * sizeOf(layer.inputShape),
    rowLen: layer.inputShape[layer.inputShape.length - 1],
  };
  return statelessOp(
    cfg.name,
    [activationForward(ctx, pass, io.x, io.y, `${cfg.name}:forward`)],
    io.dX ? [activationBackward(ctx, pass, io.x, io.y, io.dY, io.dX, `${cfg.name}:backward`)] : [],
  );
}

// The harness for ops whose weights come by Keras name (LayerBuffers.params: BatchNormalization's gamma, beta and
// moving statistics, DepthwiseConv2D's depthwise_kernel, ...): the layer is a hand-made BuiltLayer, weights and
// dY are given, STEP.validRows can mark a partial batch. It runs createLayerOp's dispatches through the same
// context, upload and sentinel fill as tests/gpu/harness.ts, checks that replaying them allocates nothing, and
// returns y, dX and every weight and gradient read back, for expectClose against a reference.
import { expect } from 'vitest';
import type { KernelFamily } from '../../src/gpu/family';
import type { Layer } from '../../src/model/layers';
import type { BuiltLayer } from '../../src/model/sequential';
import type { ParamSpec } from '../../src/model/shapes';
import { createLayerOp, type LayerBuffers } from '../../src/ops';
import { STEP } from '../../src/ops/types';
import { readF32 } from '../helpers/node-gpu';
import { SENTINEL, submitOp, testContext, upload } from './harness';

export interface ParamCase {
  built: BuiltLayer;
  batch: number;
  x: ArrayLike<number>;
  dY: ArrayLike<number>;
  /** Every weight of the layer by Keras name. */
  params: Record<string, ArrayLike<number>>;
  /** STEP.validRows; the whole batch when absent. */
  validRows?: number;
  first?: boolean;
  inference?: boolean;
  softmaxInLoss?: boolean;
  /** The kernel family to run (src/gpu/family.ts); default the adapter's own. */
  family?: KernelFamily;
}

export interface ParamRun {
  y: Float32Array;
  dX: Float32Array | null;
  /** Weights after the run (moving statistics change in forwardTrain). */
  params: Record<string, Float32Array>;
  /** Gradients of the trainable weights. */
  grads: Record<string, Float32Array>;
}

/** A BuiltLayer without the model code: the op tests do not depend on shape inference. */
export function builtLayer(
  layer: Layer,
  inputShape: number[],
  outputShape: number[],
  params: ParamSpec[],
): BuiltLayer {
  return {
    layer,
    inputShape,
    inputShapes: [inputShape],
    inbound: [-1],
    outputShape,
    params,
    paramCount: params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0),
  };
}

export async function runParamLayer(c: ParamCase): Promise<ParamRun> {
  const ctx = await testContext(c.family);
  const xBuf = upload(ctx, 'x', c.x);
  const dYBuf = upload(ctx, 'dY', c.dY);
  const filled = (label: string, n: number) => upload(ctx, label, new Float32Array(n).fill(SENTINEL));
  const yBuf = filled('y', c.dY.length);
  const dXBuf = c.first ? null : filled('dX', c.x.length);
  const step = new Uint32Array(STEP.words);
  step[STEP.validRows] = c.validRows ?? c.batch;
  const stepBuf = ctx.arena.storage('step', STEP.words);
  ctx.device.queue.writeBuffer(stepBuf, 0, step);
  const params: NonNullable<LayerBuffers['params']> = {};
  for (const spec of c.built.params) {
    const values = c.params[spec.name];
    if (!values) throw new Error(`test case has no values for the '${spec.name}' weight`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    expect(values.length, `${spec.name} size`).toBe(size);
    params[spec.name] = {
      value: upload(ctx, spec.name, values),
      grad: spec.trainable === false ? null : filled(`d${spec.name}`, size),
    };
  }
  const io: LayerBuffers = {
    x: xBuf,
    y: yBuf,
    dX: dXBuf,
    dY: dYBuf,
    step: stepBuf,
    params,
    kernel: params.kernel?.value,
    bias: params.bias?.value,
    dKernel: params.kernel?.grad ?? undefined,
    dBias: params.bias?.grad ?? undefined,
  };
  const op = createLayerOp(ctx, c.built, io, {
    batch: c.batch,
    layerIndex: 0,
    softmaxInLoss: c.softmaxInLoss ?? false,
  });
  const allocations = submitOp(ctx, op, c.inference);
  const run: ParamRun = {
    y: await readF32(ctx.device, yBuf, c.dY.length),
    dX: dXBuf ? await readF32(ctx.device, dXBuf, c.x.length) : null,
    params: {},
    grads: {},
  };
  for (const [name, p] of Object.entries(params)) {
    const n = c.params[name].length;
    run.params[name] = await readF32(ctx.device, p.value, n);
    if (p.grad) run.grads[name] = await readF32(ctx.device, p.grad, n);
  }
  expect(ctx.arena.allocations, 'running the recorded dispatches allocated buffers').toBe(allocations);
  ctx.arena.destroyAll();
  return run;
}

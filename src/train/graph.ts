// The compiled network: every activation, gradient and parameter buffer of a BuiltModel for a fixed batch,
// the ops' recorded dispatches, and the loss. Made once in Trainer.create; a step only replays it.
//
// A model is a DAG of layer calls in topological order (BuiltLayer.inbound). Forward runs the layers in that
// order, backward in reverse. Where a tensor fans out to k consumers its gradient is the sum of k
// contributions: one consumer writes straight into the producer's dY buffer, each of the other k - 1 writes
// its own buffer, and one in-place add per extra contribution (merge.wgsl accumulate) folds it into dY just
// before the producer's backward, when every consumer has run. The ops keep their "dX is overwritten"
// contract, and a chain (Sequential) has no extra buffer, copy or dispatch: every tensor has one consumer.
import type { Dispatch, GpuContext } from '../gpu/context';
import { AUGMENT_CLASSES, augmentChain } from '../model/augment-chain';
import type { BuiltLayer, BuiltModel } from '../model/sequential';
import type { TrainingConfig } from '../model/training-config';
import { createLayerOp, type LayerBuffers, type LayerOp, type LossOp } from '../ops';
import { accumulateInto } from '../ops/merge';
import { createLoss } from './loss';
import { type OutputPlan, planOutput } from './output';

export interface CompiledParam {
  /** Keras name, `${layer}/${param}`. */
  name: string;
  shape: number[];
  size: number;
  buffer: GPUBuffer;
  /** Null for non-trainable state (BatchNormalization's moving statistics): the optimizer never sees it. */
  grad: GPUBuffer | null;
}

export interface CompiledLayer {
  built: BuiltLayer;
  op: LayerOp;
  /** Output activations [batch, ...outputShape]. */
  y: GPUBuffer;
  /** Elements of one sample's output. */
  sampleSize: number;
}

export interface CompiledNetwork {
  batch: number;
  /** Columns of `probs`: the dataset's classes (2 for a one-unit sigmoid output). */
  classes: number;
  /** How the model's output meets the loss. */
  output: OutputPlan;
  /** The model's input [batch, ...inputShape]: where batches are gathered. */
  input: GPUBuffer;
  /** Sparse labels, i32 [batch]; -1 marks padding rows. */
  labels: GPUBuffer;
  /** Class scores [batch, classes]: probabilities, or the model's outputs for mean_squared_error. */
  probs: GPUBuffer;
  layers: CompiledLayer[];
  params: CompiledParam[];
  /** Metrics of training steps and of evaluation are kept apart, so an evaluation never mixes into them. */
  trainMetrics: GPUBuffer;
  evalMetrics: GPUBuffer;
  trainLoss: LossOp;
  evalLoss: LossOp;
  forwardTrain: Dispatch[];
  forwardInfer: Dispatch[];
  backward: Dispatch[];
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const trainable = (l: BuiltLayer) => l.params.some((p) => p.trainable !== false);

/** Checks the wiring and returns, per layer, the (consumer, input slot) edges reading its output. */
export function consumersOf(model: BuiltModel): { layer: number; slot: number }[][] {
  const n = model.layers.length;
  const consumers: { layer: number; slot: number }[][] = model.layers.map(() => []);
  model.layers.forEach((l, i) => {
    const name = l.layer.config.name;
    if (l.inbound.length === 0 || l.inbound.length !== l.inputShapes.length) {
      throw new Error(
        `${name}: ${l.inbound.length} inbound tensors for ${l.inputShapes.length} input shapes; rebuild the model`,
      );
    }
    l.inbound.forEach((p, slot) => {
      if (!(Number.isInteger(p) && p >= -1 && p < i)) {
        throw new Error(
          `${name} reads layer ${p}, which is not an earlier layer; layers must be in topological order`,
        );
      }
      if (p >= 0) consumers[p].push({ layer: i, slot });
    });
  });
  model.layers.forEach((l, i) => {
    if (i < n - 1 && consumers[i].length === 0) {
      throw new Error(
        `the output of ${l.layer.config.name} reaches nothing; connect it to the model's output or remove it`,
      );
    }
  });
  if (consumers[n - 1].length > 0) {
    const last = model.layers[n - 1].layer.config.name;
    throw new Error(
      `the model's output ${last} also feeds ${model.layers[consumers[n - 1][0].layer].layer.config.name}; ` +
        'Paperweight trains models with one output that only the loss reads',
    );
  }
  return consumers;
}

/** Per layer: does any trainable weight sit at or before it (so its backward must run)? */
export function gradientNeeded(model: BuiltModel): boolean[] {
  const wants: boolean[] = [];
  model.layers.forEach((l, i) => {
    wants[i] = trainable(l) || l.inbound.some((p) => p >= 0 && wants[p]);
  });
  return wants;
}

export function compileNetwork(
  ctx: GpuContext,
  model: BuiltModel,
  config: Pick<TrainingConfig, 'loss' | 'from_logits'>,
  batch: number,
  step: GPUBuffer,
): CompiledNetwork {
  if (!Number.isInteger(batch) || batch < 1) {
    throw new Error(`batch_size must be a positive integer, got ${batch}`);
  }
  const output = planOutput(model, config);
  const consumers = consumersOf(model);
  // Refuses augmentation layers that are not at the head: the batch gather applies those, aliased below.
  augmentChain(model);
  const wants = gradientNeeded(model);
  const n = model.layers.length;
  if (!wants[n - 1]) {
    throw new Error('the model has no trainable parameters; add a Dense or Conv2D layer');
  }
  const arena = ctx.arena;
  const input = arena.storage('input', batch * size(model.inputShape));
  const layers: CompiledLayer[] = [];
  const params: CompiledParam[] = [];
  const ys: GPUBuffer[] = [];
  const dYs: GPUBuffer[] = [];
  // Extra gradient contributions to fold into dYs[p] before layer p's backward.
  const extra: GPUBuffer[][] = model.layers.map(() => []);
  model.layers.forEach((built, i) => {
    const name = built.layer.config.name;
    const count = batch * size(built.outputShape);
    const xs = built.inbound.map((p) => (p < 0 ? input : ys[p]));
    const dXs = built.inbound.map((p, slot): GPUBuffer | null => {
      if (p < 0 || !wants[p]) return null;
      // The producer's first consumer edge writes its dY; the others write their own buffers.
      const first = consumers[p][0];
      if (first.layer === i && first.slot === slot) return dYs[p];
      const own = arena.storage(`${name}/dX${slot}`, batch * size(model.layers[p].outputShape));
      extra[p].push(own);
      return own;
    });
    const flatten = built.layer.className === 'Flatten' || AUGMENT_CLASSES.has(built.layer.className);
    const y = flatten ? xs[0] : arena.storage(`${name}/y`, count);
    // A layer without backward never reads dY: y stands in for the binding.
    const through = passThrough(built, dXs, consumers);
    const dY = !wants[i]
      ? y
      : flatten && dXs[0]
        ? dXs[0]
        : through >= 0
          ? (dXs[through] as GPUBuffer)
          : arena.storage(`${name}/dY`, count);
    ys.push(y);
    dYs.push(dY);
    const io: LayerBuffers = { x: xs[0], y, dX: dXs[0], dY, step, params: {}, xs, dXs };
    for (const spec of built.params) {
      const isTrainable = spec.trainable !== false;
      const p: CompiledParam = {
        name: `${name}/${spec.name}`,
        shape: [...spec.shape],
        size: size(spec.shape),
        buffer: arena.storage(`${name}/${spec.name}`, size(spec.shape)),
        grad: isTrainable ? arena.storage(`${name}/d${spec.name}`, size(spec.shape)) : null,
      };
      params.push(p);
      if (io.params) io.params[spec.name] = { value: p.buffer, grad: p.grad };
      // A frozen kernel or bias (trainable=False) is read but gets no gradient: the ops skip dW without dKernel.
      if (spec.name === 'kernel') {
        io.kernel = p.buffer;
        if (p.grad) io.dKernel = p.grad;
      } else if (spec.name === 'bias') {
        io.bias = p.buffer;
        if (p.grad) io.dBias = p.grad;
      }
    }
    const isLast = i === n - 1;
    // The output activation the loss fuses (softmax, sigmoid) leaves the last layer: it emits logits.
    const layer = isLast && output.fused === 'sigmoid' ? linearCopy(built) : built;
    const op = createLayerOp(ctx, layer, io, {
      batch,
      layerIndex: i,
      softmaxInLoss: isLast && output.fused === 'softmax',
    });
    layers.push({ built, op, y, sampleSize: size(built.outputShape) });
  });
  const backward: Dispatch[] = [];
  for (let i = n - 1; i >= 0; i--) {
    if (!wants[i]) continue;
    const count = batch * size(model.layers[i].outputShape);
    const name = model.layers[i].layer.config.name;
    extra[i].forEach((b, k) => {
      backward.push(accumulateInto(ctx, b, dYs[i], count, `${name}:sum_grad${k + 1}`));
    });
    backward.push(...layers[i].op.backward);
  }
  const labels = arena.storage('labels', batch);
  const probs = arena.storage('probs', batch * output.classes);
  const trainMetrics = arena.storage('metrics/train', 4);
  const evalMetrics = arena.storage('metrics/eval', 4);
  // The loss writes d loss / d (logits or outputs) straight into the last layer's dY.
  const buffers = { logits: ys[n - 1], labels, probs, dLogits: dYs[n - 1] };
  return {
    batch,
    classes: output.classes,
    output,
    input,
    labels,
    probs,
    layers,
    params,
    trainMetrics,
    evalMetrics,
    trainLoss: createLoss(ctx, output, batch, { ...buffers, metrics: trainMetrics }),
    evalLoss: createLoss(ctx, output, batch, { ...buffers, metrics: evalMetrics }),
    forwardTrain: layers.flatMap((l) => l.op.forwardTrain),
    forwardInfer: layers.flatMap((l) => l.op.forwardInfer),
    backward,
  };
}

/**
 * Add hands dY unchanged to every input (Subtract to its first). An input whose tensor no other layer reads can
 * lend the Add its gradient buffer as the Add's dY: that input's gradient then costs no copy, as Flatten's
 * costs none. Safe because nothing else ever adds into that buffer (its producer has this one reader). The
 * slot lending its buffer, or -1.
 */
function passThrough(
  built: BuiltLayer,
  dXs: (GPUBuffer | null)[],
  consumers: { layer: number; slot: number }[][],
): number {
  const cls = built.layer.className as string;
  const slots = cls === 'Add' ? dXs.map((_, k) => k) : cls === 'Subtract' ? [0] : [];
  return slots.find((k) => dXs[k] !== null && consumers[built.inbound[k]].length === 1) ?? -1;
}

/** The layer with a linear activation: its own activation moved into the loss. */
function linearCopy(built: BuiltLayer): BuiltLayer {
  const layer = { ...built.layer, config: { ...built.layer.config, activation: 'linear' } };
  return { ...built, layer: layer as BuiltLayer['layer'] };
}

// The compiled network: every activation, gradient and parameter buffer of a BuiltModel for a fixed batch,
// the ops' recorded dispatches, and the loss. Made once in Trainer.create; a step only replays it.
import type { Dispatch, GpuContext } from '../gpu/context';
import type { ActivationName } from '../model/activations';
import type { BuiltLayer, BuiltModel } from '../model/sequential';
import type { LossName } from '../model/training-config';
import { createLayerOp, createLossOp, type LayerOp, type LossOp } from '../ops';

export interface CompiledParam {
  /** Keras name, `${layer}/${param}`. */
  name: string;
  shape: number[];
  size: number;
  buffer: GPUBuffer;
  grad: GPUBuffer;
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
  classes: number;
  /** The first layer's input [batch, ...inputShape]: where batches are gathered. */
  input: GPUBuffer;
  /** Sparse labels, i32 [batch]; -1 marks padding rows. */
  labels: GPUBuffer;
  /** Class probabilities [batch, classes]: the model's output. */
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

function activationOf(l: BuiltLayer): ActivationName | null {
  const { layer } = l;
  if (layer.className === 'Dense' || layer.className === 'Conv2D' || layer.className === 'Activation') {
    return layer.config.activation;
  }
  return null;
}

/**
 * The loss is softmax + cross-entropy fused: a last layer with activation 'softmax' hands its logits to it;
 * a linear last layer is read as logits (Keras's from_logits=True). Anything else has no sound loss here.
 */
export function checkOutput(model: BuiltModel, loss: LossName): { classes: number; softmaxInLoss: boolean } {
  const last = model.layers[model.layers.length - 1];
  const name = last.layer.config.name;
  if (last.outputShape.length !== 1) {
    throw new Error(
      `the last layer ${name} outputs (${last.outputShape.join(', ')}), but ${loss} needs one score per class; ` +
        `end the model with Flatten() and Dense(classes, activation='softmax')`,
    );
  }
  const act = activationOf(last);
  if (act !== 'softmax' && act !== 'linear') {
    throw new Error(
      `the last layer ${name} has activation '${act ?? last.layer.className}', but ${loss} needs class ` +
        `probabilities; use activation='softmax' on the last layer`,
    );
  }
  return { classes: last.outputShape[0], softmaxInLoss: act === 'softmax' };
}

export function compileNetwork(
  ctx: GpuContext,
  model: BuiltModel,
  loss: LossName,
  batch: number,
  step: GPUBuffer,
): CompiledNetwork {
  if (!Number.isInteger(batch) || batch < 1) {
    throw new Error(`batch_size must be a positive integer, got ${batch}`);
  }
  const { classes, softmaxInLoss } = checkOutput(model, loss);
  const arena = ctx.arena;
  const input = arena.storage('input', batch * size(model.inputShape));
  // No gradient flows below the first layer with parameters: those layers get no backward at all.
  const firstTrainable = model.layers.findIndex((l) => l.paramCount > 0);
  if (firstTrainable < 0) {
    throw new Error('the model has no trainable parameters; add a Dense or Conv2D layer');
  }
  const layers: CompiledLayer[] = [];
  const params: CompiledParam[] = [];
  let x = input;
  let dX: GPUBuffer | null = null;
  model.layers.forEach((built, i) => {
    const name = built.layer.config.name;
    const n = batch * size(built.outputShape);
    const flatten = built.layer.className === 'Flatten';
    const y = flatten ? x : arena.storage(`${name}/y`, n);
    const needsDY = i >= firstTrainable;
    // Below the first trainable layer dY is never read (no backward runs); y stands in for the binding.
    const dY = flatten && dX ? dX : needsDY ? arena.storage(`${name}/dY`, n) : y;
    const io: Parameters<typeof createLayerOp>[2] = { x, y, dX, dY, step, params: {} };
    for (const spec of built.params) {
      const p: CompiledParam = {
        name: `${name}/${spec.name}`,
        shape: [...spec.shape],
        size: size(spec.shape),
        buffer: arena.storage(`${name}/${spec.name}`, size(spec.shape)),
        grad: arena.storage(`${name}/d${spec.name}`, size(spec.shape)),
      };
      params.push(p);
      if (io.params) io.params[spec.name] = { value: p.buffer, grad: p.grad };
      if (spec.name === 'kernel') {
        io.kernel = p.buffer;
        io.dKernel = p.grad;
      } else {
        io.bias = p.buffer;
        io.dBias = p.grad;
      }
    }
    const op = createLayerOp(ctx, built, io, {
      batch,
      layerIndex: i,
      softmaxInLoss: softmaxInLoss && i === model.layers.length - 1,
    });
    layers.push({ built, op, y, sampleSize: size(built.outputShape) });
    x = y;
    dX = needsDY ? dY : null;
  });
  const last = layers[layers.length - 1];
  const labels = arena.storage('labels', batch);
  const probs = arena.storage('probs', batch * classes);
  // The loss writes d loss / d logits straight into the last layer's dY.
  const lastDY: GPUBuffer = dX ?? last.y;
  const trainMetrics = arena.storage('metrics/train', 4);
  const evalMetrics = arena.storage('metrics/eval', 4);
  const lossOpts = { batch, classes, sparse: true };
  const buffers = { logits: last.y, labels, probs, dLogits: lastDY };
  return {
    batch,
    classes,
    input,
    labels,
    probs,
    layers,
    params,
    trainMetrics,
    evalMetrics,
    trainLoss: createLossOp(ctx, lossOpts, { ...buffers, metrics: trainMetrics }),
    evalLoss: createLossOp(ctx, lossOpts, { ...buffers, metrics: evalMetrics }),
    forwardTrain: layers.flatMap((l) => l.op.forwardTrain),
    forwardInfer: layers.flatMap((l) => l.op.forwardInfer),
    backward: layers
      .slice(firstTrainable)
      .reverse()
      .flatMap((l) => l.op.backward),
  };
}

// One training step of a model, assembled from the ops contract (src/ops/types.ts) the way the trainer does
// it: forwardTrain of every layer, the fused softmax loss, backward last to first, the optimizer. The batch
// gather is left out (random input sits in the first layer's x). Used by the per-kernel timing, so it can time
// each recorded dispatch on its own. Every dispatch comes with its FLOPs where it is a conv or dense GEMM.
import type { Dispatch, GpuContext } from '../../src/gpu/context';
import { type BuiltModel, initialWeights, type NamedWeight, Rng } from '../../src/model';
import { createLayerOp, createLossOp, type LayerBuffers, STEP } from '../../src/ops';
import { axisPlan } from '../../src/ops/common';
import { GpuOptimizer, type ParamTensor } from '../../src/train/optimizer';
import { ADAM } from './models';
import type { KernelRow } from './types';

export interface TimedDispatch {
  dispatch: Dispatch;
  label: string;
  kind: KernelRow['kind'];
  flops: number;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** FLOPs of a conv/dense GEMM kernel by its label (`conv2d_1:backward_dw`), 0 for the rest. */
function gemmFlops(model: BuiltModel, batch: number, label: string): number {
  const [layerName, what] = label.split(':');
  const bl = model.layers.find((l) => l.layer.config.name === layerName);
  if (!bl || !['forward', 'backward_dx', 'backward_dw'].includes(what)) return 0;
  const l = bl.layer;
  if (l.className === 'Dense') return 2 * batch * bl.inputShape[0] * l.config.units;
  if (l.className === 'Conv2D') {
    const [h, w, cin] = bl.inputShape;
    const [kh, kw] = l.config.kernel_size;
    const oh = axisPlan(h, kh, l.config.strides[0], l.config.padding).out;
    const ow = axisPlan(w, kw, l.config.strides[1], l.config.padding).out;
    return 2 * batch * oh * ow * l.config.filters * kh * kw * cin;
  }
  return 0;
}

function kindOf(label: string): KernelRow['kind'] {
  if (label.startsWith('softmax_xent')) return 'loss';
  if (/^(adam|sgd|rmsprop)/.test(label)) return 'optimizer';
  if (/backward|reduce_dw/.test(label)) return 'backward';
  if (/forward|copy|activation/.test(label)) return 'forward';
  return 'other';
}

export interface AssembledStep {
  dispatches: TimedDispatch[];
  /** The first layer's input [batch, ...inputShape] f32, sparse labels i32, the STEP state, loss metrics. */
  input: GPUBuffer;
  labels: GPUBuffer;
  step: GPUBuffer;
  metrics: GPUBuffer;
}

/** Weights default to initialWeights(model, seed); input and labels start random. */
export function assembleStep(
  ctx: GpuContext,
  model: BuiltModel,
  batch: number,
  seed: number,
  initial: NamedWeight[] = initialWeights(model, seed),
): AssembledStep {
  const { arena, device } = ctx;
  const rng = new Rng(seed);
  const random = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(0, 1));
  const step = arena.storage('step', STEP.words);
  const words = new Uint32Array(STEP.words);
  words[STEP.seed] = seed;
  words[STEP.validRows] = batch;
  new Float32Array(words.buffer)[STEP.learningRateBits] = ADAM.learning_rate;
  device.queue.writeBuffer(step, 0, words);

  const weights = new Map(initial.map((w) => [w.name, w]));
  const params: ParamTensor[] = [];
  const input = arena.storage('input', batch * size(model.inputShape));
  device.queue.writeBuffer(input, 0, random(batch * size(model.inputShape)));
  let x = input;
  let dX: GPUBuffer | null = null;
  const ops = model.layers.map((bl, i) => {
    const name = bl.layer.config.name;
    const flatten = bl.layer.className === 'Flatten';
    const outCount = batch * size(bl.outputShape);
    const y = flatten ? x : arena.storage(`${name}/y`, outCount);
    const dY = flatten && dX ? dX : arena.storage(`${name}/dY`, outCount);
    const io: LayerBuffers = { x, y, dX, dY, step };
    for (const p of bl.params) {
      const w = weights.get(`${name}/${p.name}`)!;
      const param = arena.storage(`${name}/${p.name}`, w.data.length);
      device.queue.writeBuffer(param, 0, new Float32Array(w.data));
      const grad = arena.storage(`${name}/d${p.name}`, w.data.length);
      if (p.name === 'kernel') Object.assign(io, { kernel: param, dKernel: grad });
      else Object.assign(io, { bias: param, dBias: grad });
      params.push({ name: `${name}/${p.name}`, size: w.data.length, param, grad });
    }
    const op = createLayerOp(ctx, bl, io, {
      batch,
      layerIndex: i,
      softmaxInLoss: i === model.layers.length - 1,
    });
    x = y;
    dX = dY;
    return op;
  });
  const classes = size(model.layers[model.layers.length - 1].outputShape);
  const labels = arena.storage('labels', batch);
  device.queue.writeBuffer(
    labels,
    0,
    Int32Array.from({ length: batch }, () => Math.floor(rng.next() * classes)),
  );
  const metrics = arena.storage('metrics', 4);
  const loss = createLossOp(
    ctx,
    { batch, classes, sparse: true },
    { logits: x, labels, probs: arena.storage('probs', batch * classes), dLogits: dX!, metrics },
  );
  const optimizer = new GpuOptimizer(ctx, { name: 'adam', ...ADAM }, params, step);
  const all: Dispatch[] = [
    ...ops.flatMap((o) => o.forwardTrain),
    ...loss.train,
    ...[...ops].reverse().flatMap((o) => o.backward),
    ...optimizer.dispatches,
  ];
  const dispatches = all.map((d) => {
    const label = d.label ?? '?';
    return { dispatch: d, label, kind: kindOf(label), flops: gemmFlops(model, batch, label) };
  });
  return { dispatches, input, labels, step, metrics };
}

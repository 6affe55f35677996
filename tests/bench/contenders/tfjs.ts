// TensorFlow.js 4.22 with tfjs-layers: the Keras-like path a user would pick instead of Paperweight.
// model.trainOnBatch with the same Adam; the batches are made tensors on the backend before timing, so TF.js
// pays no upload inside the timed steps (trainOnBatch still reads its loss back every step: that is its API).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as tfl from '@tensorflow/tfjs-layers';
import type { BuiltLayer, BuiltModel, NamedWeight } from '../../../src/model';
import { type Contender, Unsupported } from '../contender';
import { liveGpuBytes } from '../counters';
import { type BenchData, floatBatch, labelBatch, oneHot } from '../data';
import { ADAM } from '../models';

export type TfBackend = 'webgpu' | 'webgl' | 'cpu' | 'wasm';

type TfActivation = NonNullable<Parameters<typeof tfl.layers.dense>[0]['activation']>;

/** Keras activation names -> tfjs-layers' (leaky_relu is a separate layer there; the bench models use none). */
function tfActivation(name: string): TfActivation {
  if (name === 'leaky_relu') throw new Unsupported('tfjs-layers has no leaky_relu activation string');
  return name as TfActivation;
}

type Config = Record<string, unknown>;

/** One Paperweight layer as a tfjs-layers layer (same Keras config, so the same weights fit it). */
function tfLayer(bl: BuiltLayer): tfl.layers.Layer {
  const className: string = bl.layer.className;
  const c = bl.layer.config as unknown as Config;
  const name = c.name as string;
  const conv = {
    name,
    kernelSize: c.kernel_size as [number, number],
    strides: c.strides as [number, number],
    padding: c.padding as 'same' | 'valid',
    activation: tfActivation((c.activation as string | undefined) ?? 'linear'),
    useBias: c.use_bias as boolean,
  };
  switch (className) {
    case 'Conv2D':
      return tfl.layers.conv2d({ ...conv, filters: c.filters as number });
    case 'DepthwiseConv2D':
      return tfl.layers.depthwiseConv2d({ ...conv, depthMultiplier: c.depth_multiplier as number });
    case 'SeparableConv2D':
      return tfl.layers.separableConv2d({
        ...conv,
        filters: c.filters as number,
        depthMultiplier: c.depth_multiplier as number,
      });
    case 'BatchNormalization':
      return tfl.layers.batchNormalization({
        name,
        axis: -1,
        momentum: c.momentum as number,
        epsilon: c.epsilon as number,
        center: c.center as boolean,
        scale: c.scale as boolean,
      });
    case 'Add':
      return tfl.layers.add({ name });
    case 'Activation':
      return tfl.layers.activation({ name, activation: tfActivation(c.activation as string) });
    case 'ReLU':
      return tfl.layers.reLU({ name, maxValue: (c.max_value as number | null) ?? undefined });
    case 'GlobalAveragePooling2D':
      return tfl.layers.globalAveragePooling2d({ name });
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const args = {
        name,
        poolSize: c.pool_size as [number, number],
        strides: c.strides as [number, number],
        padding: c.padding as 'same' | 'valid',
      };
      return className === 'MaxPooling2D' ? tfl.layers.maxPooling2d(args) : tfl.layers.averagePooling2d(args);
    }
    case 'Dense':
      return tfl.layers.dense({
        name,
        units: c.units as number,
        activation: tfActivation(c.activation as string),
        useBias: c.use_bias as boolean,
      });
    case 'Dropout':
      return tfl.layers.dropout({ name, rate: c.rate as number });
    case 'Flatten':
      return tfl.layers.flatten({ name });
    case 'ZeroPadding2D':
      return tfl.layers.zeroPadding2d({ name, padding: c.padding as [[number, number], [number, number]] });
    default:
      throw new Unsupported(`the bench's TF.js builder has no ${className}`);
  }
}

/**
 * The BuiltModel as a tfjs-layers functional model (a Sequential one is the chain case), with the given
 * Keras-layout weights set layer by layer: a whole-model setWeights would expect every trainable weight first
 * and the non-trainable ones (batch norm's moving statistics) after them.
 */
export function buildTfModel(model: BuiltModel, weights: NamedWeight[]): tfl.LayersModel {
  const input = tfl.input({ shape: model.inputShape });
  const outputs: tfl.SymbolicTensor[] = [];
  const layers: tfl.layers.Layer[] = [];
  for (const bl of model.layers) {
    const xs = bl.inbound.map((i) => (i < 0 ? input : outputs[i]));
    const layer = tfLayer(bl);
    outputs.push(layer.apply(xs.length === 1 ? xs[0] : xs) as tfl.SymbolicTensor);
    layers.push(layer);
  }
  const m = tfl.model({ inputs: input, outputs: outputs[outputs.length - 1], name: model.name });
  let k = 0;
  model.layers.forEach((bl, i) => {
    const own = weights.slice(k, k + bl.params.length);
    k += bl.params.length;
    if (own.length) layers[i].setWeights(own.map((w) => tf.tensor(w.data, w.shape)));
  });
  if (k !== weights.length || m.getWeights().length !== weights.length) {
    throw new Error(`TF.js model has ${m.getWeights().length} weights, Paperweight ${weights.length}`);
  }
  return m;
}

export class TfjsContender implements Contender {
  private model: tfl.LayersModel | null = null;
  private xs: tf.Tensor[] = [];
  private ys: tf.Tensor[] = [];

  constructor(private readonly backend: TfBackend) {}

  async init(): Promise<string> {
    if (this.backend === 'wasm') {
      throw new Unsupported(
        'not installed (@tensorflow/tfjs-backend-wasm); it is also known to lack a conv filter-gradient kernel',
      );
    }
    const ok = await tf.setBackend(this.backend);
    if (!ok) throw new Error(`tf.setBackend('${this.backend}') failed`);
    await tf.ready();
    return `tfjs ${tf.version_core} ${tf.getBackend()}`;
  }

  async build(model: BuiltModel, weights: NamedWeight[], data: BenchData): Promise<void> {
    const m = buildTfModel(model, weights);
    m.compile({
      optimizer: tf.train.adam(ADAM.learning_rate, ADAM.beta_1, ADAM.beta_2, ADAM.epsilon),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    this.model = m;
    const shape: [number, number, number, number] = [data.batch, data.height, data.width, data.channels];
    for (let i = 0; i < data.batchCount; i++) {
      this.xs.push(tf.tensor4d(floatBatch(data, i), shape));
      this.ys.push(tf.tensor2d(oneHot(labelBatch(data, i), data.classes), [data.batch, data.classes]));
    }
  }

  async train(start: number, steps: number): Promise<number[]> {
    const m = this.model!;
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      const i = (start + s) % this.xs.length;
      const r = await m.trainOnBatch(this.xs[i], this.ys[i]);
      losses.push(Array.isArray(r) ? r[0] : r);
    }
    return losses;
  }

  async memory(): Promise<{ bytes: number | null; note?: string }> {
    // webgl reports numBytesInGPU(Allocated); cpu only numBytes (all tensors).
    const mem = tf.memory() as tf.MemoryInfo & {
      numBytesInGPU?: number;
      numBytesInGPUAllocated?: number;
      numBytesAllocatedInGPU?: number;
    };
    if (this.backend === 'webgpu') {
      // numBytesInGPU counts live tensors only; the page's live-buffer count is the comparable figure.
      const own = `numBytesInGPU ${mem.numBytesInGPU}, numBytesAllocatedInGPU ${mem.numBytesAllocatedInGPU}`;
      return { bytes: liveGpuBytes(), note: `live WebGPU buffer bytes (tf.memory(): ${own})` };
    }
    if (mem.numBytesInGPUAllocated !== undefined) {
      return { bytes: mem.numBytesInGPUAllocated, note: 'tf.memory().numBytesInGPUAllocated' };
    }
    if (mem.numBytesInGPU !== undefined)
      return { bytes: mem.numBytesInGPU, note: 'tf.memory().numBytesInGPU' };
    return { bytes: mem.numBytes, note: 'tf.memory().numBytes (CPU memory)' };
  }

  async dispose(): Promise<void> {
    this.model?.dispose();
    for (const t of [...this.xs, ...this.ys]) t.dispose();
    this.xs = [];
    this.ys = [];
    this.model = null;
  }
}

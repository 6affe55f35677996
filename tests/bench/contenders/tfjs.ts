// TensorFlow.js 4.22 with tfjs-layers: the Keras-like path a user would pick instead of Paperweight.
// model.trainOnBatch with the same Adam; the batches are made tensors on the backend before timing, so TF.js
// pays no upload inside the timed steps (trainOnBatch still reads its loss back every step: that is its API).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as tfl from '@tensorflow/tfjs-layers';
import type { BuiltModel, NamedWeight } from '../../../src/model';
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

export function buildTfModel(model: BuiltModel): tfl.Sequential {
  const m = tfl.sequential({ name: model.name });
  model.layers.forEach((bl, i) => {
    const input = i === 0 ? { inputShape: model.inputShape } : {};
    const l = bl.layer;
    switch (l.className) {
      case 'Conv2D': {
        const c = l.config;
        m.add(
          tfl.layers.conv2d({
            ...input,
            filters: c.filters,
            kernelSize: c.kernel_size,
            strides: c.strides,
            padding: c.padding,
            activation: tfActivation(c.activation),
            useBias: c.use_bias,
          }),
        );
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const c = l.config;
        const args = { ...input, poolSize: c.pool_size, strides: c.strides, padding: c.padding };
        m.add(
          l.className === 'MaxPooling2D' ? tfl.layers.maxPooling2d(args) : tfl.layers.averagePooling2d(args),
        );
        break;
      }
      case 'Dense':
        m.add(
          tfl.layers.dense({
            ...input,
            units: l.config.units,
            activation: tfActivation(l.config.activation),
            useBias: l.config.use_bias,
          }),
        );
        break;
      case 'Dropout':
        m.add(tfl.layers.dropout({ ...input, rate: l.config.rate }));
        break;
      case 'Flatten':
        m.add(tfl.layers.flatten(input));
        break;
      default:
        throw new Unsupported(`the bench's TF.js builder has no ${l.className}`);
    }
  });
  return m;
}

export class TfjsContender implements Contender {
  private model: tfl.Sequential | null = null;
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
    const m = buildTfModel(model);
    const current = m.getWeights();
    if (current.length !== weights.length) {
      throw new Error(`TF.js model has ${current.length} weights, Paperweight ${weights.length}`);
    }
    m.setWeights(weights.map((w) => tf.tensor(w.data, w.shape)));
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

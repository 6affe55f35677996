// The three benchmark networks, as Paperweight Sequential models. TF.js and jax-js build theirs from the same
// BuiltModel (layer configs and Keras-layout weights), so every contender trains exactly this network.

import { importKerasCode } from '../../src/keras';
import {
  type BuiltModel,
  Conv2D,
  Dense,
  Flatten,
  MaxPooling2D,
  paperLeNet5,
  Sequential,
} from '../../src/model';
import { MOBILENET_025_CIFAR, RESNET20_CIFAR } from '../../src/model/paper-presets';
import type { ModelId } from './types';

export interface BenchModel {
  id: ModelId;
  title: string;
  batch: number;
  /** 'mnist': real MNIST zero-padded 28x28 -> 32x32; 'synthetic-cifar': generated 32x32x3 (see data.ts). */
  data: 'mnist' | 'synthetic-cifar';
  build(): BuiltModel;
}

const conv = (filters: number, k: number) =>
  Conv2D({ filters, kernel_size: [k, k], padding: 'same', activation: 'relu' });
const pool = () => MaxPooling2D({ pool_size: [2, 2] });

/** A plain CIFAR CNN: `body` on 32x32x3, then Flatten and a 10-way softmax. */
const cifarCnn = (name: string, body: ReturnType<typeof conv | typeof pool>[]) =>
  new Sequential(
    [...body, Flatten(), Dense({ units: 10, activation: 'softmax' })],
    name,
    [32, 32, 3],
  ).build();

export const BENCH_MODELS: Record<ModelId, BenchModel> = {
  'lenet5-mnist': {
    id: 'lenet5-mnist',
    title: 'LeNet-5 (paper figure), MNIST 32x32x1, batch 64',
    batch: 64,
    data: 'mnist',
    build: () => paperLeNet5().build(),
  },
  // ConvNetJS's CIFAR-10 demo network.
  'convnetjs-cifar10': {
    id: 'convnetjs-cifar10',
    title: 'ConvNetJS CIFAR-10 net, 32x32x3, batch 32',
    batch: 32,
    data: 'synthetic-cifar',
    build: () =>
      cifarCnn('convnetjs_cifar10', [conv(16, 5), pool(), conv(20, 5), pool(), conv(20, 5), pool()]),
  },
  'wide-cifar-cnn': {
    id: 'wide-cifar-cnn',
    title: 'Wide CIFAR CNN 32-32-pool-64-64-pool, 3x3, batch 64',
    batch: 64,
    data: 'synthetic-cifar',
    build: () =>
      cifarCnn('wide_cifar_cnn', [conv(32, 3), conv(32, 3), pool(), conv(64, 3), conv(64, 3), pool()]),
  },
  // The classic-paper presets with batch norm and a DAG (residual Adds) or depthwise convs, as the page has them.
  'resnet20-cifar10': {
    id: 'resnet20-cifar10',
    title: 'ResNet-20 (He et al. 2016), 32x32x3, batch 32',
    batch: 32,
    data: 'synthetic-cifar',
    build: () => importKerasCode(RESNET20_CIFAR).built,
  },
  'mobilenet-cifar10': {
    id: 'mobilenet-cifar10',
    title: 'MobileNet v1 width 0.25, 32x32x3, batch 32',
    batch: 32,
    data: 'synthetic-cifar',
    build: () => importKerasCode(MOBILENET_025_CIFAR).built,
  },
};

/** Keras's Adam defaults, the same for every contender. */
export const ADAM = { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 } as const;

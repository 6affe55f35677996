// The ops: createLayerOp turns a built Keras layer plus its buffers into recorded dispatches (see types.ts).
import type { GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import { createActivation } from './activation';
import { createAugmentAlias } from './augment';
import { createBatchNorm } from './batchnorm';
import { createConv2d } from './conv2d';
import { createConv2dTranspose } from './conv2d_transpose';
import { createDense } from './dense';
import { createDepthwiseConv2d } from './depthwise_conv2d';
import { createDropout } from './dropout';
import { createFlatten } from './flatten';
import { createGlobalPool } from './global_pool';
import { createConcatenate, createMerge } from './merge';
import { createPad2d } from './pad2d';
import { createPool2d } from './pool2d';
import { createRescaling } from './rescaling';
import type { LayerBuffers, LayerOp, LayerOpFactory, LayerOpOptions } from './types';
import { createUpSampling2d } from './upsampling2d';

export { createLossOp, type LossOptions } from './softmax_xent';
export * from './types';

// Keyed by Keras class name (string: the merge layers' specs live in src/model's registry).
const FACTORIES: Partial<Record<string, LayerOpFactory>> = {
  Conv2D: createConv2d,
  Dense: createDense,
  Flatten: createFlatten,
  Dropout: createDropout,
  MaxPooling2D: createPool2d,
  AveragePooling2D: createPool2d,
  Activation: createActivation,
  ZeroPadding2D: createPad2d,
  GlobalAveragePooling2D: createGlobalPool,
  Add: createMerge,
  Subtract: createMerge,
  Multiply: createMerge,
  Average: createMerge,
  Maximum: createMerge,
  Concatenate: createConcatenate,
  BatchNormalization: createBatchNorm,
  DepthwiseConv2D: createDepthwiseConv2d,
  SeparableConv2D: createDepthwiseConv2d,
  GlobalMaxPooling2D: createGlobalPool,
  UpSampling2D: createUpSampling2d,
  Rescaling: createRescaling,
  Normalization: createRescaling,
  Conv2DTranspose: createConv2dTranspose,
  RandomFlip: createAugmentAlias,
  RandomTranslation: createAugmentAlias,
  RandomRotation: createAugmentAlias,
  RandomZoom: createAugmentAlias,
  RandomCrop: createAugmentAlias,
};

export function createLayerOp(
  ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  opts: LayerOpOptions,
): LayerOp {
  const factory = FACTORIES[layer.layer.className];
  if (!factory) {
    throw new Error(`${layer.layer.config.name}: ${layer.layer.className} has no GPU kernels yet`);
  }
  return factory(ctx, layer, io, opts);
}

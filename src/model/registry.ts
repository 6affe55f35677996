// The registry of layer specs: every Keras layer class Paperweight reads and writes, looked up by Keras class
// name (or alias) on import and by layer on export; output shapes and weights of any layer go through it.
import type { Layer } from './layers';
import { type ParamSpec, ShapeError } from './shapes';
import {
  randomCropSpec,
  randomFlipSpec,
  randomRotationSpec,
  randomTranslationSpec,
  randomZoomSpec,
} from './specs/augment';
import { conv2dSpec, conv2dTransposeSpec } from './specs/conv';
import {
  activationSpec,
  denseSpec,
  dropoutSpec,
  eluSpec,
  flattenSpec,
  leakyReluSpec,
  reluSpec,
  reshapeSpec,
  softmaxSpec,
} from './specs/core';
import { depthwiseConv2dSpec, separableConv2dSpec } from './specs/depthwise';
import {
  addSpec,
  averageSpec,
  concatenateSpec,
  maximumSpec,
  multiplySpec,
  subtractSpec,
} from './specs/merge';
import { batchNormalizationSpec, normalizationSpec, rescalingSpec } from './specs/normalization';
import {
  averagePooling2dSpec,
  globalAveragePooling2dSpec,
  globalMaxPooling2dSpec,
  maxPooling2dSpec,
  upSampling2dSpec,
  zeroPadding2dSpec,
} from './specs/pooling';
import type { LayerSpec } from './specs/spec';

export { activationForm, activationOfLayerObject } from './specs/core';
export type { ArgReader, ConfigValue, LayerSpec, PlainConfig } from './specs/spec';

/** In the order error messages list them (the first layers people reach for first, ELU last). */
export const LAYER_SPECS: readonly LayerSpec[] = [
  conv2dSpec,
  maxPooling2dSpec,
  averagePooling2dSpec,
  denseSpec,
  dropoutSpec,
  flattenSpec,
  activationSpec,
  zeroPadding2dSpec,
  globalAveragePooling2dSpec,
  globalMaxPooling2dSpec,
  batchNormalizationSpec,
  depthwiseConv2dSpec,
  separableConv2dSpec,
  conv2dTransposeSpec,
  upSampling2dSpec,
  reshapeSpec,
  rescalingSpec,
  normalizationSpec,
  addSpec,
  subtractSpec,
  multiplySpec,
  averageSpec,
  maximumSpec,
  concatenateSpec,
  randomFlipSpec,
  randomTranslationSpec,
  randomRotationSpec,
  randomZoomSpec,
  randomCropSpec,
  reluSpec,
  softmaxSpec,
  leakyReluSpec,
  eluSpec,
];

const byName = new Map<string, LayerSpec>();
for (const s of LAYER_SPECS) {
  byName.set(s.className, s);
  for (const a of s.aliases ?? []) byName.set(a, s);
}

/** Every Keras class name and alias the importers accept, mapped to the spec's class name. */
export const LAYER_NAMES: Record<string, string> = Object.fromEntries(
  LAYER_SPECS.flatMap((s) => [s.className, ...(s.aliases ?? [])].map((n) => [n, s.className])),
);

/** The spec of a Keras class name or alias, or undefined. */
export function specByName(kerasClass: string): LayerSpec | undefined {
  return byName.get(kerasClass);
}

/** The spec that writes `layer` (LeakyReLU for an Activation read from LeakyReLU(...)). */
export function specOf(layer: Layer): LayerSpec {
  for (const s of LAYER_SPECS) {
    if (s.layerClass === layer.className && (s.writes ? s.writes(layer) : true)) return s;
  }
  throw new Error(`${layer.config.name}: no spec for layer class ${layer.className}`);
}

/** The Keras class `layer` is written as: its spec's (ReLU for an Activation read from ReLU()). */
export function kerasClassOf(layer: Layer): string {
  return layer.className === 'InputLayer' ? 'InputLayer' : specOf(layer).className;
}

/** Output shape of `layer` for its input shapes (no batch axis). Throws ShapeError with a fix. */
export function outputShapeOf(layer: Layer, inputs: number[][]): number[] {
  if (layer.className === 'InputLayer') return [...layer.config.shape];
  const spec = specOf(layer);
  if (!spec.merge && inputs.length !== 1) {
    throw new ShapeError(
      `${layer.config.name} (${layer.className}) takes one input and is called on ${inputs.length}; ` +
        'merge them first with Add() or Concatenate()',
      layer.config.name,
    );
  }
  return spec.outputShape(layer, inputs);
}

/** Weights of `layer` for its input shapes, in Keras order; non-trainable ones marked trainable: false. */
export function paramSpecsOf(layer: Layer, inputs: number[][]): ParamSpec[] {
  if (layer.className === 'InputLayer') return [];
  return specOf(layer).params?.(layer, inputs) ?? [];
}

/** Single-input forms, as before graphs. */
export const outputShape = (layer: Layer, input: number[]) => outputShapeOf(layer, [input]);
export const paramSpecs = (layer: Layer, input: number[]) => paramSpecsOf(layer, [input]);

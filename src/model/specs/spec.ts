// One declarative spec per Keras layer, in the spirit of tfjs-layers' getConfig(): what Keras calls it, the
// arguments it takes, how its config is read (from code or JSON, through one ArgReader) and written back,
// its output shape and its weights. Code import, JSON import, code export and JSON export read these.
import type { ActivationName } from '../activations';
import type { InitializerName } from '../initializers';
import type { Layer, LayerClassName, LayerOf } from '../layers';
import type { ParamSpec } from '../shapes';

/** A Keras config value as JSON and Python literals share it; tuples are arrays. */
export type ConfigValue = null | boolean | number | string | ConfigValue[];
/** A layer's Keras config fields (Keras 3 spelling); initializers are names ('glorot_uniform'). */
export type PlainConfig = Record<string, ConfigValue>;

/**
 * The arguments of one layer, read from a Python call (bound to the spec's signature) or from a JSON config.
 * Readers return undefined for an absent argument (and for None where None means "the default"); they throw
 * an error that says where the bad value is.
 */
export interface ArgReader {
  /** What the messages call the layer: 'Conv2D' in code, "layer 3 'c' (Conv2D)" in JSON. */
  readonly what: string;
  has(name: string): boolean;
  /** The value as plain data; undefined when absent or not a literal. */
  raw(name: string): ConfigValue | undefined;
  int(name: string, min?: number): number | undefined;
  number(name: string): number | undefined;
  bool(name: string): boolean | undefined;
  str(name: string, allowed?: readonly string[]): string | undefined;
  /** An int or a tuple of `n` ints (kernel_size, strides, pool_size, size). */
  size(name: string, n?: number): number[] | undefined;
  /** A tuple of ints that may hold -1 (Reshape's target_shape). */
  ints(name: string): number[] | undefined;
  /** A tuple of numbers or one number (Normalization's mean, a (lower, upper) factor). */
  numbers(name: string): number[] | undefined;
  activation(name?: string): ActivationName | undefined;
  initializer(name: string): InitializerName | undefined;
  /** Refuses a value other than the default: `${what}: ${name}=${value} is not supported; ${fix}`. */
  requireDefault(name: string, ok: (v: ConfigValue) => boolean, fix: string): void;
  /** Warns that a set value is ignored. */
  ignore(name: string, why: string): void;
  /** Throws `${what}: ${message}`, at the argument when one is named. */
  fail(message: string, at?: string): never;
}

export interface LayerSpec {
  /** The Keras class name this spec reads and writes. */
  className: string;
  /** Other names Keras accepts for the class (MaxPool2D, Convolution2D). */
  aliases?: readonly string[];
  /** The Paperweight layer it builds (ReLU/LeakyReLU/ELU/Softmax build 'Activation'). */
  layerClass: LayerClassName;
  /** Python signature: positional order, then keyword-only arguments. */
  positional: readonly string[];
  keywords?: readonly string[];
  /** Builds the layer from its arguments (name left empty). */
  read(r: ArgReader): Layer;
  /** Whether this spec is the Keras form of `layer` (for layer classes several specs build). */
  writes?(layer: Layer): boolean;
  /** Keras 3 config fields (without name, trainable, dtype). */
  config(layer: Layer): PlainConfig;
  /** Config values Keras's constructor defaults to; code export leaves those out. */
  defaults(config: PlainConfig): PlainConfig;
  /** How many leading config fields code export writes positionally: Conv2D(6, kernel_size=...). */
  exportPositional?: number;
  /** Takes a list of tensors (merge layers). */
  merge?: boolean;
  /** Output shape (no batch axis) from the input shapes; throws ShapeError with a fix when impossible. */
  outputShape(layer: Layer, inputs: number[][]): number[];
  /** Weights in Keras order, from the input shapes. */
  params?(layer: Layer, inputs: number[][]): ParamSpec[];
}

/** The config of a layer of a known class; specs are registered under their layer class, so this holds. */
export function cfg<C extends LayerClassName>(layer: Layer, _c: C): LayerOf<C>['config'] {
  return layer.config as LayerOf<C>['config'];
}

export const REGULARIZERS = [
  'kernel_regularizer',
  'bias_regularizer',
  'activity_regularizer',
  'kernel_constraint',
  'bias_constraint',
] as const;

/** Keras config fields Paperweight always writes as None (regularizers, constraints). */
export const nulls = (names: readonly string[]): PlainConfig =>
  Object.fromEntries(names.map((n) => [n, null]));

export const REGULARIZERS_NULL: PlainConfig = nulls(REGULARIZERS);

/** A config's fields by name, in the order given (Keras's order): what a spec's config() writes as is. */
export function pick<C extends object>(c: C, keys: readonly (keyof C & string)[]): PlainConfig {
  return Object.fromEntries(keys.map((k) => [k, c[k] as ConfigValue]));
}

/** The kernels of a layer, then its bias of `units` when it has one (Dense and the convolutions). */
export function withBias(
  c: { use_bias: boolean; bias_initializer: InitializerName },
  kernels: ParamSpec[],
  units: number,
): ParamSpec[] {
  return c.use_bias
    ? [...kernels, { name: 'bias', shape: [units], initializer: c.bias_initializer }]
    : kernels;
}

export function ignoreRegularizers(r: ArgReader, names: readonly string[] = REGULARIZERS): void {
  for (const n of names) r.ignore(n, 'Paperweight trains without regularizers and constraints');
}

export function channelsLast(r: ArgReader): void {
  r.requireDefault(
    'data_format',
    (v) => v === 'channels_last',
    'Paperweight is channels_last (NHWC): remove data_format and give input_shape as (height, width, channels)',
  );
}

export const allOnes = (v: ConfigValue) => v === 1 || (Array.isArray(v) && v.every((x) => x === 1));

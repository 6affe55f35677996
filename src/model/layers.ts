// Keras-named layers with Keras argument names (snake_case) and Keras defaults. A layer is plain data so it
// can cross a worker boundary, be saved in IndexedDB and be written back out as Keras code or JSON.
import type { ActivationName } from './activations';
import type { InitializerName } from './initializers';

export type Padding = 'valid' | 'same';
export type Pair = [number, number];

export interface InputLayerConfig {
  name: string;
  /** Without the batch axis: [h, w, c] for images, [n] for vectors. */
  shape: number[];
}
export interface Conv2DConfig {
  name: string;
  filters: number;
  kernel_size: Pair;
  strides: Pair;
  padding: Padding;
  activation: ActivationName;
  use_bias: boolean;
  kernel_initializer: InitializerName;
  bias_initializer: InitializerName;
}
export interface Pooling2DConfig {
  name: string;
  pool_size: Pair;
  strides: Pair;
  padding: Padding;
}
export interface DenseConfig {
  name: string;
  units: number;
  activation: ActivationName;
  use_bias: boolean;
  kernel_initializer: InitializerName;
  bias_initializer: InitializerName;
}
export interface DropoutConfig {
  name: string;
  rate: number;
  seed: number | null;
}
export interface FlattenConfig {
  name: string;
}
export interface ActivationConfig {
  name: string;
  activation: ActivationName;
  /** Slope for leaky_relu / alpha for elu, when the layer form sets one (LeakyReLU(negative_slope=...)). */
  alpha?: number;
}
export interface ZeroPadding2DConfig {
  name: string;
  /** ((top, bottom), (left, right)) */
  padding: [Pair, Pair];
}
export interface GlobalAveragePooling2DConfig {
  name: string;
}

export type Layer =
  | { className: 'InputLayer'; config: InputLayerConfig }
  | { className: 'Conv2D'; config: Conv2DConfig }
  | { className: 'MaxPooling2D'; config: Pooling2DConfig }
  | { className: 'AveragePooling2D'; config: Pooling2DConfig }
  | { className: 'Dense'; config: DenseConfig }
  | { className: 'Dropout'; config: DropoutConfig }
  | { className: 'Flatten'; config: FlattenConfig }
  | { className: 'Activation'; config: ActivationConfig }
  | { className: 'ZeroPadding2D'; config: ZeroPadding2DConfig }
  | { className: 'GlobalAveragePooling2D'; config: GlobalAveragePooling2DConfig };

export type LayerClassName = Layer['className'];
export const LAYER_CLASS_NAMES: LayerClassName[] = [
  'InputLayer',
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'Dense',
  'Dropout',
  'Flatten',
  'Activation',
  'ZeroPadding2D',
  'GlobalAveragePooling2D',
];

/** Keras's default layer-name stems (Keras 3): conv2d, max_pooling2d, dense, ... */
export function nameStem(className: LayerClassName): string {
  return className
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/2_D/g, '2d')
    .toLowerCase()
    .replace(/_2d$/, '2d');
}

export function pair(v: number | number[] | undefined, fallback: Pair, what: string): Pair {
  if (v === undefined) return [...fallback] as Pair;
  if (typeof v === 'number') return [v, v];
  if (v.length === 1) return [v[0], v[0]];
  if (v.length !== 2) throw new Error(`${what} must be an int or a pair of ints, got (${v.join(', ')})`);
  return [v[0], v[1]];
}

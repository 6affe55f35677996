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
/** What every layer with a kernel and an optional bias sets (Dense and the convolutions). */
interface BiasedConfig {
  name: string;
  activation: ActivationName;
  use_bias: boolean;
  bias_initializer: InitializerName;
}
/** A convolution's window (Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D). */
interface WindowConfig extends BiasedConfig {
  kernel_size: Pair;
  strides: Pair;
  padding: Padding;
}
export interface Conv2DConfig extends WindowConfig {
  filters: number;
  kernel_initializer: InitializerName;
}
export interface Pooling2DConfig {
  name: string;
  pool_size: Pair;
  strides: Pair;
  padding: Padding;
}
export interface DenseConfig extends BiasedConfig {
  units: number;
  kernel_initializer: InitializerName;
}
export interface DropoutConfig {
  name: string;
  rate: number;
  seed: number | null;
}
export interface FlattenConfig {
  name: string;
}
/** The Keras layer classes that compute one activation: ReLU() is Activation('relu') under its own name. */
export type ActivationLayerClass = 'ReLU' | 'LeakyReLU' | 'ELU' | 'Softmax';
export interface ActivationConfig {
  name: string;
  activation: ActivationName;
  /** Slope for leaky_relu / alpha for elu, when the layer form sets one (LeakyReLU(negative_slope=...)). */
  alpha?: number;
  /**
   * The Keras class the layer was written as (ReLU(), LeakyReLU(0.1)): its name stem, summary row and exports
   * keep it, the engine runs `activation`. Absent: Activation(...), or LeakyReLU/ELU when alpha is set (as
   * models saved before this field read).
   */
  form?: ActivationLayerClass;
}
export interface ZeroPadding2DConfig {
  name: string;
  /** ((top, bottom), (left, right)) */
  padding: [Pair, Pair];
}
export interface GlobalAveragePooling2DConfig {
  name: string;
}

export interface GlobalMaxPooling2DConfig {
  name: string;
}
export interface BatchNormalizationConfig {
  name: string;
  /** Only the channel axis (-1, channels_last) is supported. */
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  beta_initializer: InitializerName;
  gamma_initializer: InitializerName;
  moving_mean_initializer: InitializerName;
  moving_variance_initializer: InitializerName;
}
export interface DepthwiseConv2DConfig extends WindowConfig {
  depth_multiplier: number;
  depthwise_initializer: InitializerName;
}
export interface SeparableConv2DConfig extends DepthwiseConv2DConfig {
  filters: number;
  pointwise_initializer: InitializerName;
}
/** Conv2D's arguments; Keras stores its kernel as [kh, kw, filters (out), in]. */
export type Conv2DTransposeConfig = Conv2DConfig;
export interface UpSampling2DConfig {
  name: string;
  size: Pair;
  interpolation: 'nearest';
}
/** y = x * scale + offset. */
export interface RescalingConfig {
  name: string;
  scale: number;
  offset: number;
}
/**
 * y = (x - mean) / sqrt(variance), per channel (axis -1). With mean/variance null they are adapted on the
 * dataset and held as non-trainable weights (mean, variance, count), as Keras does.
 */
export interface NormalizationConfig {
  name: string;
  axis: number;
  mean: number[] | null;
  variance: number[] | null;
}
export interface ReshapeConfig {
  name: string;
  /** Without the batch axis; one entry may be -1 (inferred). */
  target_shape: number[];
}
export interface MergeConfig {
  name: string;
}
export interface ConcatenateConfig {
  name: string;
  axis: number;
}
/** Augmentation layers: random in training, identity at inference (RandomCrop: a center crop). */
export interface RandomFlipConfig {
  name: string;
  mode: 'horizontal' | 'vertical' | 'horizontal_and_vertical';
  seed: number | null;
}
/** A factor is a fraction (0.1 = +-10%) or a (lower, upper) pair, as Keras takes it. */
export type Factor = number | [number, number];
export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
export interface RandomTranslationConfig {
  name: string;
  height_factor: Factor;
  width_factor: Factor;
  fill_mode: FillMode;
  interpolation: 'bilinear' | 'nearest';
  seed: number | null;
  fill_value: number;
}
export interface RandomRotationConfig {
  name: string;
  factor: Factor;
  fill_mode: FillMode;
  interpolation: 'bilinear' | 'nearest';
  seed: number | null;
  fill_value: number;
}
export interface RandomZoomConfig {
  name: string;
  height_factor: Factor;
  width_factor: Factor | null;
  fill_mode: FillMode;
  interpolation: 'bilinear' | 'nearest';
  seed: number | null;
  fill_value: number;
}
export interface RandomCropConfig {
  name: string;
  height: number;
  width: number;
  seed: number | null;
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
  | { className: 'GlobalAveragePooling2D'; config: GlobalAveragePooling2DConfig }
  | { className: 'GlobalMaxPooling2D'; config: GlobalMaxPooling2DConfig }
  | { className: 'BatchNormalization'; config: BatchNormalizationConfig }
  | { className: 'DepthwiseConv2D'; config: DepthwiseConv2DConfig }
  | { className: 'SeparableConv2D'; config: SeparableConv2DConfig }
  | { className: 'Conv2DTranspose'; config: Conv2DTransposeConfig }
  | { className: 'UpSampling2D'; config: UpSampling2DConfig }
  | { className: 'Rescaling'; config: RescalingConfig }
  | { className: 'Normalization'; config: NormalizationConfig }
  | { className: 'Reshape'; config: ReshapeConfig }
  | { className: 'Add'; config: MergeConfig }
  | { className: 'Subtract'; config: MergeConfig }
  | { className: 'Multiply'; config: MergeConfig }
  | { className: 'Average'; config: MergeConfig }
  | { className: 'Maximum'; config: MergeConfig }
  | { className: 'Concatenate'; config: ConcatenateConfig }
  | { className: 'RandomFlip'; config: RandomFlipConfig }
  | { className: 'RandomTranslation'; config: RandomTranslationConfig }
  | { className: 'RandomRotation'; config: RandomRotationConfig }
  | { className: 'RandomZoom'; config: RandomZoomConfig }
  | { className: 'RandomCrop'; config: RandomCropConfig };

export type LayerClassName = Layer['className'];
/** The layer of a class name: LayerOf<'Conv2D'> is { className: 'Conv2D'; config: Conv2DConfig }. */
export type LayerOf<C extends LayerClassName> = Extract<Layer, { className: C }>;
/** The elementwise merge layers (equal shapes in, one out). */
export const MERGE_KINDS = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum'] as const;
export type MergeKind = (typeof MERGE_KINDS)[number];
/** Layers that take a list of tensors: layer([a, b]). */
export const MERGE_LAYERS: readonly LayerClassName[] = [...MERGE_KINDS, 'Concatenate'];
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
  'GlobalMaxPooling2D',
  'BatchNormalization',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'Conv2DTranspose',
  'UpSampling2D',
  'Rescaling',
  'Normalization',
  'Reshape',
  ...MERGE_LAYERS,
  'RandomFlip',
  'RandomTranslation',
  'RandomRotation',
  'RandomZoom',
  'RandomCrop',
];

/** Keras's default layer-name stems (Keras 3's to_snake_case): conv2d, max_pooling2d, conv2d_transpose, re_lu. */
export function nameStem(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

export function pair(v: number | number[] | undefined, fallback: Pair, what: string): Pair {
  if (v === undefined) return [...fallback] as Pair;
  if (typeof v === 'number') return [v, v];
  if (v.length === 1) return [v[0], v[0]];
  if (v.length !== 2) throw new Error(`${what} must be an int or a pair of ints, got (${v.join(', ')})`);
  return [v[0], v[1]];
}

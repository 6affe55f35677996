// Convolutions: Conv2D, DepthwiseConv2D, SeparableConv2D (MobileNet) and Conv2DTranspose.
import type { ActivationName } from '../activations';
import type { InitializerName } from '../initializers';
import type { Layer, Padding, Pair } from '../layers';
import { pair } from '../layers';
import { type ParamSpec, ShapeError, windowed } from '../shapes';
import {
  type ArgReader,
  allOnes,
  cfg,
  channelsLast,
  ignoreRegularizers,
  type LayerSpec,
  type PlainConfig,
  pick,
  REGULARIZERS,
  REGULARIZERS_NULL,
  withBias,
} from './spec';

const PADDINGS = ['valid', 'same'] as const;

/** kernel_size, strides, padding, activation, use_bias: what every convolution reads alike. */
export function convCommon(r: ArgReader) {
  channelsLast(r);
  r.requireDefault('dilation_rate', allOnes, 'Paperweight has no dilated convolutions; remove dilation_rate');
  r.requireDefault('groups', allOnes, 'Paperweight has no grouped convolutions; remove groups');
  r.ignore('lora_rank', 'no LoRA in Paperweight');
  const kernel = r.size('kernel_size');
  if (kernel === undefined) return r.fail('needs kernel_size, e.g. kernel_size=(3, 3)');
  return {
    kernel_size: pair(kernel, [1, 1], `${r.what}: kernel_size`),
    strides: pair(r.size('strides'), [1, 1], `${r.what}: strides`),
    padding: (r.str('padding', PADDINGS) ?? 'valid') as Padding,
    activation: r.activation() ?? ('linear' as ActivationName),
    use_bias: r.bool('use_bias') ?? true,
    bias_initializer: r.initializer('bias_initializer') ?? ('zeros' as InitializerName),
  };
}

export function filtersOf(r: ArgReader, example: string): number {
  const filters = r.int('filters');
  if (filters === undefined) return r.fail(`needs filters, e.g. ${example}`, 'filters');
  return filters;
}

export const convConfig = (c: { kernel_size: Pair; strides: Pair; padding: Padding }): PlainConfig => ({
  kernel_size: [...c.kernel_size],
  strides: [...c.strides],
  padding: c.padding,
  data_format: 'channels_last',
  dilation_rate: [1, 1],
});

export const CONV_DEFAULTS: PlainConfig = {
  strides: [1, 1],
  padding: 'valid',
  data_format: 'channels_last',
  dilation_rate: [1, 1],
  groups: 1,
  activation: 'linear',
  use_bias: true,
  kernel_initializer: 'glorot_uniform',
  depthwise_initializer: 'glorot_uniform',
  pointwise_initializer: 'glorot_uniform',
  bias_initializer: 'zeros',
  depth_multiplier: 1,
  output_padding: null,
  ...REGULARIZERS_NULL,
  depthwise_regularizer: null,
  pointwise_regularizer: null,
  depthwise_constraint: null,
  pointwise_constraint: null,
};

/** Conv2D and Conv2DTranspose read the same arguments into the same config. */
function readFilterConv(r: ArgReader, className: 'Conv2D' | 'Conv2DTranspose', example: string): Layer {
  ignoreRegularizers(r);
  const filters = filtersOf(r, example);
  const common = convCommon(r);
  const kernel_initializer = r.initializer('kernel_initializer') ?? 'glorot_uniform';
  return { className, config: { name: '', filters, ...common, kernel_initializer } };
}

/** Conv2D's kernel [kh, kw, in, filters]; Conv2DTranspose's [kh, kw, filters, in]; and the bias. */
function filterConvParams(layer: Layer, input: number[], transposed: boolean): ParamSpec[] {
  const c = cfg(layer, transposed ? 'Conv2DTranspose' : 'Conv2D');
  const io = transposed ? [c.filters, input[2]] : [input[2], c.filters];
  const kernel = { name: 'kernel', shape: [...c.kernel_size, ...io], initializer: c.kernel_initializer };
  return withBias(c, [kernel], c.filters);
}

export function checkFilters(layer: Layer, n: number, what = 'filters'): void {
  if (n < 1) {
    throw new ShapeError(`${layer.config.name}: ${what} must be at least 1, got ${n}`, layer.config.name);
  }
}

export const conv2dSpec: LayerSpec = {
  className: 'Conv2D',
  aliases: ['Convolution2D'],
  layerClass: 'Conv2D',
  positional: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups'],
  keywords: [
    'activation',
    'use_bias',
    'kernel_initializer',
    'bias_initializer',
    ...REGULARIZERS,
    'lora_rank',
  ],
  read: (r) => readFilterConv(r, 'Conv2D', 'Conv2D(32, (3, 3))'),
  config(layer) {
    const c = cfg(layer, 'Conv2D');
    return {
      filters: c.filters,
      ...convConfig(c),
      groups: 1,
      ...pick(c, ['activation', 'use_bias', 'kernel_initializer', 'bias_initializer']),
      ...REGULARIZERS_NULL,
    };
  },
  defaults: () => CONV_DEFAULTS,
  exportPositional: 1,
  outputShape(layer, [input]) {
    const c = cfg(layer, 'Conv2D');
    checkFilters(layer, c.filters);
    const [oh, ow] = windowed(layer, input, c.kernel_size, c.strides, c.padding, 'kernel');
    return [oh, ow, c.filters];
  },
  params: (layer, [input]) => filterConvParams(layer, input, false),
};

/** Keras's deconv_output_length without output_padding. */
export function transposeOutSize(input: number, k: number, stride: number, padding: Padding): number {
  return padding === 'same' ? input * stride : input * stride + Math.max(k - stride, 0);
}

export const conv2dTransposeSpec: LayerSpec = {
  className: 'Conv2DTranspose',
  aliases: ['Convolution2DTranspose', 'Deconvolution2D', 'Deconv2D'],
  layerClass: 'Conv2DTranspose',
  positional: [
    'filters',
    'kernel_size',
    'strides',
    'padding',
    'output_padding',
    'data_format',
    'dilation_rate',
    'activation',
    'use_bias',
    'kernel_initializer',
    'bias_initializer',
    ...REGULARIZERS,
  ],
  read(r) {
    r.requireDefault(
      'output_padding',
      () => false,
      'remove output_padding (the output size follows padding)',
    );
    return readFilterConv(r, 'Conv2DTranspose', 'Conv2DTranspose(32, (3, 3), strides=2)');
  },
  config(layer) {
    const c = cfg(layer, 'Conv2DTranspose');
    const { kernel_size, strides, padding, ...rest } = convConfig(c);
    return {
      filters: c.filters,
      kernel_size,
      strides,
      padding,
      output_padding: null,
      ...rest,
      ...pick(c, ['activation', 'use_bias', 'kernel_initializer', 'bias_initializer']),
      ...REGULARIZERS_NULL,
    };
  },
  defaults: () => CONV_DEFAULTS,
  exportPositional: 1,
  outputShape(layer, [input]) {
    const c = cfg(layer, 'Conv2DTranspose');
    checkFilters(layer, c.filters);
    // The same checks as a forward convolution (image input, sizes at least 1), then the transposed size.
    windowed(layer, input, [1, 1], c.strides, 'same', 'kernel');
    if (c.kernel_size[0] < 1 || c.kernel_size[1] < 1) {
      throw new ShapeError(`${c.name}: kernel_size must be at least 1`, c.name);
    }
    return [
      transposeOutSize(input[0], c.kernel_size[0], c.strides[0], c.padding),
      transposeOutSize(input[1], c.kernel_size[1], c.strides[1], c.padding),
      c.filters,
    ];
  },
  params: (layer, [input]) => filterConvParams(layer, input, true),
};

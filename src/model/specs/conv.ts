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
  REGULARIZERS,
  REGULARIZERS_NULL,
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
  read(r) {
    ignoreRegularizers(r);
    const filters = filtersOf(r, 'Conv2D(32, (3, 3))');
    const common = convCommon(r);
    return {
      className: 'Conv2D',
      config: {
        name: '',
        filters,
        ...common,
        kernel_initializer: r.initializer('kernel_initializer') ?? 'glorot_uniform',
      },
    };
  },
  config(layer) {
    const c = cfg(layer, 'Conv2D');
    return {
      filters: c.filters,
      ...convConfig(c),
      groups: 1,
      activation: c.activation,
      use_bias: c.use_bias,
      kernel_initializer: c.kernel_initializer,
      bias_initializer: c.bias_initializer,
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
  params(layer, [input]) {
    const c = cfg(layer, 'Conv2D');
    const specs: ParamSpec[] = [
      {
        name: 'kernel',
        shape: [c.kernel_size[0], c.kernel_size[1], input[2], c.filters],
        initializer: c.kernel_initializer,
      },
    ];
    if (c.use_bias) specs.push({ name: 'bias', shape: [c.filters], initializer: c.bias_initializer });
    return specs;
  },
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
    ignoreRegularizers(r);
    r.requireDefault(
      'output_padding',
      () => false,
      'remove output_padding (the output size follows padding)',
    );
    const filters = filtersOf(r, 'Conv2DTranspose(32, (3, 3), strides=2)');
    const common = convCommon(r);
    return {
      className: 'Conv2DTranspose',
      config: {
        name: '',
        filters,
        ...common,
        kernel_initializer: r.initializer('kernel_initializer') ?? 'glorot_uniform',
      },
    };
  },
  config(layer) {
    const c = cfg(layer, 'Conv2DTranspose');
    return {
      filters: c.filters,
      kernel_size: [...c.kernel_size],
      strides: [...c.strides],
      padding: c.padding,
      output_padding: null,
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      activation: c.activation,
      use_bias: c.use_bias,
      kernel_initializer: c.kernel_initializer,
      bias_initializer: c.bias_initializer,
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
  params(layer, [input]) {
    const c = cfg(layer, 'Conv2DTranspose');
    const specs: ParamSpec[] = [
      {
        name: 'kernel',
        shape: [c.kernel_size[0], c.kernel_size[1], c.filters, input[2]],
        initializer: c.kernel_initializer,
      },
    ];
    if (c.use_bias) specs.push({ name: 'bias', shape: [c.filters], initializer: c.bias_initializer });
    return specs;
  },
};

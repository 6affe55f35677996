// Depthwise and depthwise-separable convolutions (MobileNet): DepthwiseConv2D's depthwise_kernel is
// [kh, kw, in, depth_multiplier]; SeparableConv2D adds a pointwise_kernel [1, 1, in * multiplier, filters].
import type { Layer } from '../layers';
import { type ParamSpec, windowed } from '../shapes';
import { CONV_DEFAULTS, checkFilters, convCommon, convConfig, filtersOf } from './conv';
import { type ArgReader, cfg, ignoreRegularizers, type LayerSpec, nulls, pick, withBias } from './spec';

const DEPTHWISE_REGULARIZERS = [
  'depthwise_regularizer',
  'bias_regularizer',
  'activity_regularizer',
  'depthwise_constraint',
  'bias_constraint',
];

/** What DepthwiseConv2D and SeparableConv2D read alike (the depthwise half), after their regularizers. */
function readDepthwise(r: ArgReader, regularizers: readonly string[]) {
  ignoreRegularizers(r, regularizers);
  const { kernel_size, strides, padding, activation, use_bias, bias_initializer } = convCommon(r);
  return {
    kernel_size,
    strides,
    padding,
    depth_multiplier: r.int('depth_multiplier') ?? 1,
    activation,
    use_bias,
    depthwise_initializer: r.initializer('depthwise_initializer') ?? 'glorot_uniform',
    bias_initializer,
  };
}

/** The depthwise kernel [kh, kw, in, depth_multiplier] of either layer. */
function depthwiseKernel(layer: Layer, input: number[]): ParamSpec {
  const c = cfg(layer, layer.className === 'SeparableConv2D' ? 'SeparableConv2D' : 'DepthwiseConv2D');
  return {
    name: 'depthwise_kernel',
    shape: [...c.kernel_size, input[2], c.depth_multiplier],
    initializer: c.depthwise_initializer,
  };
}

export const depthwiseConv2dSpec: LayerSpec = {
  className: 'DepthwiseConv2D',
  layerClass: 'DepthwiseConv2D',
  positional: [
    'kernel_size',
    'strides',
    'padding',
    'depth_multiplier',
    'data_format',
    'dilation_rate',
    'activation',
    'use_bias',
    'depthwise_initializer',
    'bias_initializer',
    ...DEPTHWISE_REGULARIZERS,
  ],
  read: (r) => ({
    className: 'DepthwiseConv2D',
    config: { name: '', ...readDepthwise(r, DEPTHWISE_REGULARIZERS) },
  }),
  config(layer) {
    const c = cfg(layer, 'DepthwiseConv2D');
    const { kernel_size, strides, padding, ...rest } = convConfig(c);
    return {
      kernel_size,
      strides,
      padding,
      depth_multiplier: c.depth_multiplier,
      ...rest,
      ...pick(c, ['activation', 'use_bias', 'depthwise_initializer', 'bias_initializer']),
      ...nulls(DEPTHWISE_REGULARIZERS),
    };
  },
  defaults: () => CONV_DEFAULTS,
  exportPositional: 1,
  outputShape(layer, [input]) {
    const c = cfg(layer, 'DepthwiseConv2D');
    checkFilters(layer, c.depth_multiplier, 'depth_multiplier');
    const [oh, ow, ch] = windowed(layer, input, c.kernel_size, c.strides, c.padding, 'kernel');
    return [oh, ow, ch * c.depth_multiplier];
  },
  params(layer, [input]) {
    const c = cfg(layer, 'DepthwiseConv2D');
    return withBias(c, [depthwiseKernel(layer, input)], input[2] * c.depth_multiplier);
  },
};

const SEPARABLE_REGULARIZERS = [
  'depthwise_regularizer',
  'pointwise_regularizer',
  'bias_regularizer',
  'activity_regularizer',
  'depthwise_constraint',
  'pointwise_constraint',
  'bias_constraint',
];

/** SeparableConv2D's arguments after dilation_rate, in Keras's order (its signature and its config). */
const SEPARABLE_FIELDS = [
  'depth_multiplier',
  'activation',
  'use_bias',
  'depthwise_initializer',
  'pointwise_initializer',
  'bias_initializer',
] as const;

export const separableConv2dSpec: LayerSpec = {
  className: 'SeparableConv2D',
  aliases: ['SeparableConvolution2D'],
  layerClass: 'SeparableConv2D',
  positional: [
    'filters',
    'kernel_size',
    'strides',
    'padding',
    'data_format',
    'dilation_rate',
    ...SEPARABLE_FIELDS,
    ...SEPARABLE_REGULARIZERS,
  ],
  read(r) {
    const filters = filtersOf(r, 'SeparableConv2D(64, (3, 3))');
    const depthwise = readDepthwise(r, SEPARABLE_REGULARIZERS);
    const pointwise_initializer = r.initializer('pointwise_initializer') ?? 'glorot_uniform';
    return {
      className: 'SeparableConv2D',
      config: { name: '', filters, ...depthwise, pointwise_initializer },
    };
  },
  config(layer) {
    const c = cfg(layer, 'SeparableConv2D');
    return {
      filters: c.filters,
      ...convConfig(c),
      ...pick(c, SEPARABLE_FIELDS),
      ...nulls(SEPARABLE_REGULARIZERS),
    };
  },
  defaults: () => CONV_DEFAULTS,
  exportPositional: 1,
  outputShape(layer, [input]) {
    const c = cfg(layer, 'SeparableConv2D');
    checkFilters(layer, c.filters);
    checkFilters(layer, c.depth_multiplier, 'depth_multiplier');
    const [oh, ow] = windowed(layer, input, c.kernel_size, c.strides, c.padding, 'kernel');
    return [oh, ow, c.filters];
  },
  params(layer, [input]) {
    const c = cfg(layer, 'SeparableConv2D');
    const mid = input[2] * c.depth_multiplier;
    const pointwise = {
      name: 'pointwise_kernel',
      shape: [1, 1, mid, c.filters],
      initializer: c.pointwise_initializer,
    };
    return withBias(c, [depthwiseKernel(layer, input), pointwise], c.filters);
  },
};

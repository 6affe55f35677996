// Depthwise and depthwise-separable convolutions (MobileNet): DepthwiseConv2D's depthwise_kernel is
// [kh, kw, in, depth_multiplier]; SeparableConv2D adds a pointwise_kernel [1, 1, in * multiplier, filters].
import { type ParamSpec, windowed } from '../shapes';
import { CONV_DEFAULTS, checkFilters, convCommon, convConfig, filtersOf } from './conv';
import { cfg, ignoreRegularizers, type LayerSpec } from './spec';

const DEPTHWISE_REGULARIZERS = [
  'depthwise_regularizer',
  'bias_regularizer',
  'activity_regularizer',
  'depthwise_constraint',
  'bias_constraint',
];

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
  read(r) {
    ignoreRegularizers(r, DEPTHWISE_REGULARIZERS);
    const common = convCommon(r);
    return {
      className: 'DepthwiseConv2D',
      config: {
        name: '',
        kernel_size: common.kernel_size,
        strides: common.strides,
        padding: common.padding,
        depth_multiplier: r.int('depth_multiplier') ?? 1,
        activation: common.activation,
        use_bias: common.use_bias,
        depthwise_initializer: r.initializer('depthwise_initializer') ?? 'glorot_uniform',
        bias_initializer: common.bias_initializer,
      },
    };
  },
  config(layer) {
    const c = cfg(layer, 'DepthwiseConv2D');
    return {
      kernel_size: [...c.kernel_size],
      strides: [...c.strides],
      padding: c.padding,
      depth_multiplier: c.depth_multiplier,
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      activation: c.activation,
      use_bias: c.use_bias,
      depthwise_initializer: c.depthwise_initializer,
      bias_initializer: c.bias_initializer,
      depthwise_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      depthwise_constraint: null,
      bias_constraint: null,
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
    const specs: ParamSpec[] = [
      {
        name: 'depthwise_kernel',
        shape: [c.kernel_size[0], c.kernel_size[1], input[2], c.depth_multiplier],
        initializer: c.depthwise_initializer,
      },
    ];
    if (c.use_bias) {
      specs.push({ name: 'bias', shape: [input[2] * c.depth_multiplier], initializer: c.bias_initializer });
    }
    return specs;
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
    'depth_multiplier',
    'activation',
    'use_bias',
    'depthwise_initializer',
    'pointwise_initializer',
    'bias_initializer',
    ...SEPARABLE_REGULARIZERS,
  ],
  read(r) {
    ignoreRegularizers(r, SEPARABLE_REGULARIZERS);
    const filters = filtersOf(r, 'SeparableConv2D(64, (3, 3))');
    const common = convCommon(r);
    return {
      className: 'SeparableConv2D',
      config: {
        name: '',
        filters,
        kernel_size: common.kernel_size,
        strides: common.strides,
        padding: common.padding,
        depth_multiplier: r.int('depth_multiplier') ?? 1,
        activation: common.activation,
        use_bias: common.use_bias,
        depthwise_initializer: r.initializer('depthwise_initializer') ?? 'glorot_uniform',
        pointwise_initializer: r.initializer('pointwise_initializer') ?? 'glorot_uniform',
        bias_initializer: common.bias_initializer,
      },
    };
  },
  config(layer) {
    const c = cfg(layer, 'SeparableConv2D');
    return {
      filters: c.filters,
      ...convConfig(c),
      depth_multiplier: c.depth_multiplier,
      activation: c.activation,
      use_bias: c.use_bias,
      depthwise_initializer: c.depthwise_initializer,
      pointwise_initializer: c.pointwise_initializer,
      bias_initializer: c.bias_initializer,
      depthwise_regularizer: null,
      pointwise_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      depthwise_constraint: null,
      pointwise_constraint: null,
      bias_constraint: null,
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
    const specs: ParamSpec[] = [
      {
        name: 'depthwise_kernel',
        shape: [c.kernel_size[0], c.kernel_size[1], input[2], c.depth_multiplier],
        initializer: c.depthwise_initializer,
      },
      { name: 'pointwise_kernel', shape: [1, 1, mid, c.filters], initializer: c.pointwise_initializer },
    ];
    if (c.use_bias) specs.push({ name: 'bias', shape: [c.filters], initializer: c.bias_initializer });
    return specs;
  },
};

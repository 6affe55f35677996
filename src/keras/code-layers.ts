// One Keras layer call from Python source (already read as a CallValue) to a Paperweight Layer: Keras's
// signatures (positional order, keyword names, defaults), aliases (MaxPool2D, Convolution2D), the layer forms
// of activations (ReLU, Softmax, LeakyReLU, ELU -> Activation), and input_shape / input_dim / Input(shape=).
import {
  ACTIVATIONS,
  Activation,
  AveragePooling2D,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  GlobalAveragePooling2D,
  INITIALIZERS,
  isActivation,
  isInitializer,
  type Layer,
  MaxPooling2D,
  ZeroPadding2D,
} from '../model';
import { type ArgContext, type BoundArgs, bindArgs } from './args';
import { errorAt, suggestion } from './errors';
import { LAYER_ALIASES } from './layer-names';
import { baseName, type CallValue, describe, type Value } from './python-values';

/** Canonical names and the aliases Keras accepts for them; code may also start with an input layer. */
// (Listed after Activation, where error messages have always named them.)
const ALIASES: Record<string, string> = Object.fromEntries(
  Object.entries(LAYER_ALIASES).flatMap(([name, canonical]) =>
    name === 'Activation'
      ? [
          [name, canonical],
          ['InputLayer', 'InputLayer'],
          ['Input', 'Input'],
        ]
      : [[name, canonical]],
  ),
);
export const SUPPORTED_LAYER_NAMES = Object.keys(ALIASES);

export function isLayerName(name: string): boolean {
  return name in ALIASES;
}

/** Layers people write that the engine does not have, with what to do instead. */
const NOT_IN_ENGINE: Record<string, string> = {
  BatchNormalization:
    "Paperweight's engine has no batch normalization yet; remove the BatchNormalization layers (the " +
    'network still trains, usually with a smaller learning rate)',
};

const COMMON = [
  'name',
  'dtype',
  'trainable',
  'input_shape',
  'batch_input_shape',
  'batch_size',
  'input_dim',
  'autocast',
  'weights',
];
const REGULARIZERS = [
  'kernel_regularizer',
  'bias_regularizer',
  'activity_regularizer',
  'kernel_constraint',
  'bias_constraint',
];

export interface LayerRead {
  /** Null for Input(shape=...), which only gives the model its input shape. */
  layer: Layer | null;
  inputShape: number[] | null;
}

export function layerFromCall(call: CallValue, ctx: ArgContext): LayerRead {
  const written = baseName(call.callee);
  const canonical = ALIASES[written];
  if (!canonical) {
    const why = NOT_IN_ENGINE[written];
    if (why) throw errorAt(ctx.source, call.nameAt.from, `'${written}' is not supported: ${why}`);
    throw errorAt(
      ctx.source,
      call.nameAt.from,
      `'${written}' is not supported; ${suggestion(written, SUPPORTED_LAYER_NAMES, 'layer')}`,
    );
  }
  const sig = SIGNATURES[canonical];
  const own = [...sig.positional, ...sig.keywords];
  const a = bindArgs(written, call, sig.positional, [...sig.keywords, ...COMMON], ctx, [
    ...own,
    'input_shape',
    'name',
  ]);
  commonChecks(a);
  const layer = sig.make(a);
  let inputShape = a.shape('input_shape') ?? a.shape('batch_input_shape', true) ?? null;
  const dim = a.int('input_dim');
  if (dim !== undefined) inputShape = [dim];
  if (canonical === 'Input' || canonical === 'InputLayer') {
    inputShape =
      a.shape('shape') ??
      a.shape('input_shape') ??
      a.shape('batch_shape', true) ??
      a.shape('batch_input_shape', true) ??
      null;
    if (!inputShape) a.fail(call.nameAt, `${written} needs shape=(...), e.g. ${written}(shape=(32, 32, 1))`);
  }
  const name = a.str('name');
  if (layer && name) layer.config.name = name;
  return { layer, inputShape };
}

function commonChecks(a: BoundArgs): void {
  const dtype = a.get('dtype');
  if (dtype && !(dtype.kind === 'str' && dtype.value === 'float32') && dtype.kind !== 'none') {
    a.warn(
      dtype.at,
      `${a.what}: dtype=${describe(dtype, a.ctx.source)} is ignored (Paperweight trains in float32)`,
    );
  }
  const trainable = a.get('trainable');
  if (trainable && !(trainable.kind === 'bool' && trainable.value)) {
    a.warn(trainable.at, `${a.what}: trainable=False is ignored (every layer is trained)`);
  }
  a.requireDefault('weights', (v) => v.kind === 'none', 'load weights with the weights import instead');
  a.ignore('batch_size', 'the batch size is a training setting');
  a.ignore('autocast', 'Paperweight trains in float32');
}

function channelsLast(a: BoundArgs): void {
  a.requireDefault(
    'data_format',
    (v) => v.kind === 'none' || (v.kind === 'str' && v.value === 'channels_last'),
    'Paperweight is channels_last (NHWC): remove data_format and give input_shape as (height, width, channels)',
  );
}

const isOne = (v: Value) =>
  (v.kind === 'num' && v.value === 1) ||
  (v.kind === 'seq' && v.items.every((i) => i.kind === 'num' && i.value === 1));

function regularizers(a: BoundArgs): void {
  for (const r of REGULARIZERS) a.ignore(r, 'Paperweight trains without regularizers and constraints');
}

export function activationOf(a: BoundArgs, name = 'activation'): string | undefined {
  const v = a.get(name);
  if (v === undefined || v.kind === 'none') return undefined;
  let act: string;
  if (v.kind === 'str') act = v.value;
  // tf.nn.relu, keras.activations.softmax, or relu imported from keras.activations.
  else if (v.kind === 'ref') act = baseName(v.name);
  else if (v.kind === 'call') {
    return a.fail(
      v.at,
      `${a.what}: ${name}=${describe(v, a.ctx.source)} is not supported; use activation=None and add the ` +
        `activation as its own layer after this one`,
    );
  } else return a.fail(v.at, `${a.what}: ${name} must be a string such as 'relu'`);
  if (act === 'None') return undefined;
  if (!isActivation(act)) {
    const hint = suggestion(act, ACTIVATIONS, 'activation');
    a.fail(
      v.at,
      `${a.what}: activation '${act}' is not supported; ${hint}` +
        (hint.startsWith('did') ? ` (supported: ${ACTIVATIONS.join(', ')})` : ''),
    );
  }
  return act;
}

function initializerOf(a: BoundArgs, name: string): string | undefined {
  const v = a.get(name);
  if (v === undefined || v.kind === 'none') return undefined;
  let init: string;
  if (v.kind === 'str') init = v.value;
  else if (v.kind === 'call' || v.kind === 'ref') {
    const cls = baseName(v.kind === 'call' ? v.callee : v.name);
    init = cls.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    if (v.kind === 'call' && (v.args.length > 0 || v.kwargs.some((k) => k.name !== 'seed'))) {
      a.warn(
        v.at,
        `${a.what}: the arguments of ${describe(v, a.ctx.source)} are ignored (Keras's defaults are used)`,
      );
    }
  } else return a.fail(v.at, `${a.what}: ${name} must be a string such as 'he_normal'`);
  // Keras 2 spellings of the same initializers.
  init = { normal: 'random_normal', uniform: 'random_uniform', zero: 'zeros', one: 'ones' }[init] ?? init;
  if (!isInitializer(init)) {
    a.warn(
      v.at,
      `${a.what}: ${name}=${describe(v, a.ctx.source)} is not supported (supported: ${INITIALIZERS.join(', ')}); ` +
        `using Keras's default`,
    );
    return undefined;
  }
  return init;
}

const num = (v: Value | undefined, fallback: number): number => (v?.kind === 'num' ? v.value : fallback);

interface Signature {
  positional: readonly string[];
  keywords: readonly string[];
  make: (a: BoundArgs) => Layer | null;
}

const POOL = ['pool_size', 'strides', 'padding', 'data_format'];
function pool(a: BoundArgs, make: typeof MaxPooling2D): Layer {
  channelsLast(a);
  return make({
    pool_size: a.size('pool_size'),
    strides: a.size('strides') ?? null,
    padding: a.str('padding', ['valid', 'same']),
  });
}

const SIGNATURES: Record<string, Signature> = {
  Conv2D: {
    positional: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups'],
    keywords: [
      'activation',
      'use_bias',
      'kernel_initializer',
      'bias_initializer',
      ...REGULARIZERS,
      'lora_rank',
    ],
    make: (a) => {
      channelsLast(a);
      a.requireDefault(
        'dilation_rate',
        isOne,
        'Paperweight has no dilated convolutions; remove dilation_rate',
      );
      a.requireDefault('groups', isOne, 'Paperweight has no grouped convolutions; remove groups');
      regularizers(a);
      a.ignore('lora_rank', 'no LoRA in Paperweight');
      const filters = a.int('filters');
      const kernel = a.size('kernel_size');
      if (filters === undefined)
        return a.fail(a.call.nameAt, 'Conv2D needs filters, e.g. Conv2D(32, (3, 3))');
      if (kernel === undefined)
        return a.fail(a.call.nameAt, 'Conv2D needs kernel_size, e.g. Conv2D(32, (3, 3))');
      return Conv2D({
        filters,
        kernel_size: kernel,
        strides: a.size('strides'),
        padding: a.str('padding', ['valid', 'same']),
        activation: activationOf(a),
        use_bias: a.bool('use_bias'),
        kernel_initializer: initializerOf(a, 'kernel_initializer'),
        bias_initializer: initializerOf(a, 'bias_initializer'),
      });
    },
  },
  MaxPooling2D: { positional: POOL, keywords: [], make: (a) => pool(a, MaxPooling2D) },
  AveragePooling2D: { positional: POOL, keywords: [], make: (a) => pool(a, AveragePooling2D) },
  Dense: {
    positional: [
      'units',
      'activation',
      'use_bias',
      'kernel_initializer',
      'bias_initializer',
      ...REGULARIZERS,
    ],
    keywords: ['lora_rank'],
    make: (a) => {
      regularizers(a);
      a.ignore('lora_rank', 'no LoRA in Paperweight');
      const units = a.int('units');
      if (units === undefined) return a.fail(a.call.nameAt, 'Dense needs units, e.g. Dense(10)');
      return Dense({
        units,
        activation: activationOf(a),
        use_bias: a.bool('use_bias'),
        kernel_initializer: initializerOf(a, 'kernel_initializer'),
        bias_initializer: initializerOf(a, 'bias_initializer'),
      });
    },
  },
  Dropout: {
    positional: ['rate', 'noise_shape', 'seed'],
    keywords: [],
    make: (a) => {
      a.requireDefault('noise_shape', (v) => v.kind === 'none', 'remove noise_shape');
      const rate = a.number('rate');
      if (rate === undefined) return a.fail(a.call.nameAt, 'Dropout needs a rate, e.g. Dropout(0.5)');
      const r = a.get('rate');
      if (r && !(rate >= 0 && rate < 1)) a.fail(r.at, `Dropout: rate must be in [0, 1), got ${rate}`);
      return Dropout({ rate, seed: a.int('seed', 0) ?? null });
    },
  },
  Flatten: {
    positional: ['data_format'],
    keywords: [],
    make: (a) => {
      channelsLast(a);
      return Flatten();
    },
  },
  Activation: {
    positional: ['activation'],
    keywords: [],
    make: (a) => {
      const act = activationOf(a);
      if (!a.has('activation'))
        a.fail(a.call.nameAt, "Activation needs an activation, e.g. Activation('relu')");
      return Activation({ activation: act ?? 'linear' });
    },
  },
  ZeroPadding2D: {
    positional: ['padding', 'data_format'],
    keywords: [],
    make: (a) => {
      channelsLast(a);
      const v = a.get('padding');
      if (v === undefined) return ZeroPadding2D();
      const intOf = (x: Value): number => {
        if (x.kind !== 'num' || !Number.isInteger(x.value) || x.value < 0) {
          return a.fail(
            v.at,
            'ZeroPadding2D: padding must be an int, (h, w) or ((top, bottom), (left, right))',
          );
        }
        return x.value;
      };
      if (v.kind === 'num') return ZeroPadding2D({ padding: intOf(v) });
      if (v.kind === 'seq' && v.items.length === 2) {
        const [h, w] = v.items;
        if (h.kind === 'seq' && w.kind === 'seq')
          return ZeroPadding2D({ padding: [h.items.map(intOf), w.items.map(intOf)] });
        return ZeroPadding2D({ padding: [intOf(h), intOf(w)] });
      }
      return a.fail(v.at, 'ZeroPadding2D: padding must be an int, (h, w) or ((top, bottom), (left, right))');
    },
  },
  GlobalAveragePooling2D: {
    positional: ['data_format', 'keepdims'],
    keywords: [],
    make: (a) => {
      channelsLast(a);
      a.requireDefault(
        'keepdims',
        (v) => v.kind === 'bool' && !v.value,
        'remove keepdims (it must be False)',
      );
      return GlobalAveragePooling2D();
    },
  },
  InputLayer: {
    positional: ['shape', 'batch_size', 'dtype', 'sparse', 'batch_shape', 'input_tensor'],
    keywords: ['ragged', 'optional'],
    make: (a) => {
      a.requireDefault('input_tensor', (v) => v.kind === 'none', 'give shape=(...) instead');
      return null;
    },
  },
  Input: {
    positional: ['shape', 'batch_size', 'dtype', 'sparse', 'batch_shape', 'name', 'tensor'],
    keywords: ['ragged', 'optional'],
    make: (a) => {
      a.requireDefault('tensor', (v) => v.kind === 'none', 'give shape=(...) instead');
      return null;
    },
  },
  ReLU: {
    positional: ['max_value', 'negative_slope', 'threshold'],
    keywords: [],
    make: (a) => {
      a.requireDefault(
        'max_value',
        (v) => v.kind === 'none',
        'the engine has no capped relu; remove max_value',
      );
      a.requireDefault('threshold', (v) => v.kind === 'num' && v.value === 0, 'remove threshold');
      const slope = num(a.get('negative_slope'), 0);
      return slope === 0
        ? Activation({ activation: 'relu' })
        : Activation({ activation: 'leaky_relu', alpha: slope });
    },
  },
  Softmax: {
    positional: ['axis'],
    keywords: [],
    make: (a) => {
      a.requireDefault(
        'axis',
        (v) => v.kind === 'num' && v.value === -1,
        'softmax runs over the last axis; remove axis',
      );
      return Activation({ activation: 'softmax' });
    },
  },
  LeakyReLU: {
    // Keras 3 calls the slope negative_slope, Keras 2 called it alpha; both default to 0.3.
    positional: ['negative_slope'],
    keywords: ['alpha'],
    make: (a) => {
      const slope = a.number('negative_slope') ?? a.number('alpha') ?? 0.3;
      return Activation({ activation: 'leaky_relu', alpha: slope });
    },
  },
  ELU: {
    positional: ['alpha'],
    keywords: [],
    make: (a) => Activation({ activation: 'elu', alpha: a.number('alpha') ?? 1 }),
  },
};

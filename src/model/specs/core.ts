// Core layers: Dense (on the last axis, as Keras applies it), Dropout, Flatten, Reshape, Activation, and the
// layer forms of activations (ReLU, LeakyReLU, ELU, Softmax): Activation layers that keep their Keras class.
import { type ActivationName, isActivation } from '../activations';
import type { ActivationConfig, ActivationLayerClass, Layer } from '../layers';
import { product, ShapeError, shapeText } from '../shapes';
import {
  type ConfigValue,
  cfg,
  channelsLast,
  ignoreRegularizers,
  type LayerSpec,
  pick,
  REGULARIZERS,
  REGULARIZERS_NULL,
  withBias,
} from './spec';

export const denseSpec: LayerSpec = {
  className: 'Dense',
  layerClass: 'Dense',
  positional: ['units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', ...REGULARIZERS],
  keywords: ['lora_rank'],
  read(r) {
    ignoreRegularizers(r);
    r.ignore('lora_rank', 'no LoRA in Paperweight');
    const units = r.int('units');
    if (units === undefined) return r.fail('needs units, e.g. Dense(10)', 'units');
    return {
      className: 'Dense',
      config: {
        name: '',
        units,
        activation: r.activation() ?? 'linear',
        use_bias: r.bool('use_bias') ?? true,
        kernel_initializer: r.initializer('kernel_initializer') ?? 'glorot_uniform',
        bias_initializer: r.initializer('bias_initializer') ?? 'zeros',
      },
    };
  },
  config: (layer) => ({
    ...pick(cfg(layer, 'Dense'), [
      'units',
      'activation',
      'use_bias',
      'kernel_initializer',
      'bias_initializer',
    ]),
    ...REGULARIZERS_NULL,
  }),
  defaults: () => ({
    activation: 'linear',
    use_bias: true,
    kernel_initializer: 'glorot_uniform',
    bias_initializer: 'zeros',
    ...REGULARIZERS_NULL,
  }),
  exportPositional: 1,
  outputShape(layer, [input]) {
    const c = cfg(layer, 'Dense');
    if (c.units < 1) throw new ShapeError(`${c.name}: units must be at least 1, got ${c.units}`, c.name);
    // Keras applies Dense to the last axis: (h, w, c) -> (h, w, units).
    return [...input.slice(0, -1), c.units];
  },
  params(layer, [input]) {
    const c = cfg(layer, 'Dense');
    const kernel = {
      name: 'kernel',
      shape: [input[input.length - 1], c.units],
      initializer: c.kernel_initializer,
    };
    return withBias(c, [kernel], c.units);
  },
};

export const dropoutSpec: LayerSpec = {
  className: 'Dropout',
  layerClass: 'Dropout',
  positional: ['rate', 'noise_shape', 'seed'],
  read(r) {
    r.requireDefault('noise_shape', () => false, 'remove noise_shape');
    const rate = r.number('rate');
    if (rate === undefined) return r.fail('needs a rate, e.g. Dropout(0.5)', 'rate');
    if (!(rate >= 0 && rate < 1)) r.fail(`rate must be in [0, 1), got ${rate}`, 'rate');
    return { className: 'Dropout', config: { name: '', rate, seed: r.int('seed', 0) ?? null } };
  },
  config(layer) {
    const c = cfg(layer, 'Dropout');
    return { rate: c.rate, seed: c.seed, noise_shape: null };
  },
  defaults: () => ({ seed: null, noise_shape: null }),
  exportPositional: 1,
  outputShape(layer, [input]) {
    const c = cfg(layer, 'Dropout');
    if (!(c.rate >= 0 && c.rate < 1)) {
      throw new ShapeError(`${c.name}: dropout rate must be in [0, 1), got ${c.rate}`, c.name);
    }
    return [...input];
  },
};

export const flattenSpec: LayerSpec = {
  className: 'Flatten',
  layerClass: 'Flatten',
  positional: ['data_format'],
  read(r) {
    channelsLast(r);
    return { className: 'Flatten', config: { name: '' } };
  },
  config: () => ({ data_format: 'channels_last' }),
  defaults: () => ({ data_format: 'channels_last' }),
  outputShape: (_layer, [input]) => [product(input)],
};

export const reshapeSpec: LayerSpec = {
  className: 'Reshape',
  layerClass: 'Reshape',
  positional: ['target_shape'],
  read(r) {
    const target = r.ints('target_shape');
    if (target === undefined) return r.fail('needs target_shape, e.g. Reshape((7, 7, 64))', 'target_shape');
    if (target.filter((d) => d === -1).length > 1 || target.some((d) => d === 0 || d < -1)) {
      r.fail(`target_shape ${shapeText(target)} must be positive sizes, with at most one -1`, 'target_shape');
    }
    return { className: 'Reshape', config: { name: '', target_shape: target } };
  },
  config: (layer) => ({ target_shape: [...cfg(layer, 'Reshape').target_shape] }),
  defaults: () => ({}),
  exportPositional: 1,
  outputShape(layer, [input]) {
    const c = cfg(layer, 'Reshape');
    const size = product(input);
    const known = product(c.target_shape.filter((d) => d !== -1));
    const out = c.target_shape.map((d) => (d === -1 ? size / known : d));
    if (!out.every((d) => Number.isInteger(d) && d >= 1) || product(out) !== size) {
      throw new ShapeError(
        `${c.name} (Reshape) cannot turn ${shapeText(input)} (${size} values) into ${shapeText(c.target_shape)}; ` +
          'give a target_shape with the same number of values',
        c.name,
      );
    }
    return out;
  },
};

const same = (_layer: Layer, [input]: number[][]) => [...input];

/** The Keras class an Activation layer is written as (see ActivationConfig.form). */
export function activationForm(c: ActivationConfig): ActivationLayerClass | 'Activation' {
  if (c.form) return c.form;
  if (c.alpha !== undefined && c.activation === 'leaky_relu') return 'LeakyReLU';
  if (c.alpha !== undefined && c.activation === 'elu') return 'ELU';
  return 'Activation';
}

const writtenAs = (form: ActivationLayerClass | 'Activation') => (layer: Layer) =>
  activationForm(cfg(layer, 'Activation')) === form;

export const activationSpec: LayerSpec = {
  className: 'Activation',
  layerClass: 'Activation',
  positional: ['activation'],
  read(r) {
    const act = r.activation();
    if (!r.has('activation')) r.fail("needs an activation, e.g. Activation('relu')");
    return { className: 'Activation', config: { name: '', activation: act ?? 'linear' } };
  },
  writes: writtenAs('Activation'),
  config: (layer) => ({ activation: cfg(layer, 'Activation').activation }),
  defaults: () => ({}),
  exportPositional: 1,
  outputShape: same,
};

/** The layer form `form` of an engine activation: the engine runs `activation`, exports write `form`. */
const act = (form: ActivationLayerClass, activation: ActivationName, alpha?: number): Layer => ({
  className: 'Activation',
  config: alpha === undefined ? { name: '', activation, form } : { name: '', activation, alpha, form },
});

export const reluSpec: LayerSpec = {
  className: 'ReLU',
  layerClass: 'Activation',
  positional: ['max_value', 'negative_slope', 'threshold'],
  read(r) {
    // ReLU(6.) is MobileNet's relu6; other caps have no kernel.
    r.requireDefault('max_value', (v) => v === 6, 'the engine caps relu only at 6 (relu6); remove max_value');
    r.requireDefault('threshold', (v) => v === 0, 'remove threshold');
    const slope = r.number('negative_slope') ?? 0;
    if (r.number('max_value') === 6) {
      if (slope !== 0) r.fail('max_value=6 with a negative_slope has no kernel; use one or the other');
      return act('ReLU', 'relu6');
    }
    return slope === 0 ? act('ReLU', 'relu') : act('ReLU', 'leaky_relu', slope);
  },
  writes: writtenAs('ReLU'),
  config(layer) {
    const c = cfg(layer, 'Activation');
    return {
      max_value: c.activation === 'relu6' ? 6 : null,
      negative_slope: c.activation === 'leaky_relu' ? (c.alpha ?? 0.2) : 0,
      threshold: 0,
    };
  },
  defaults: () => ({ max_value: null, negative_slope: 0, threshold: 0 }),
  outputShape: same,
};

/** LeakyReLU and ELU: one number (`field`, default `dflt`) that the engine takes as the activation's alpha. */
function slopeSpec(
  className: 'LeakyReLU' | 'ELU',
  activation: ActivationName,
  field: string,
  dflt: number,
  keywords?: readonly string[],
): LayerSpec {
  return {
    className,
    layerClass: 'Activation',
    positional: [field],
    keywords,
    read(r) {
      const old = keywords?.[0];
      return act(className, activation, r.number(field) ?? (old ? r.number(old) : undefined) ?? dflt);
    },
    writes: writtenAs(className),
    config: (layer) => ({ [field]: cfg(layer, 'Activation').alpha ?? dflt }),
    defaults: () => ({ [field]: dflt }),
    outputShape: same,
  };
}

// Keras 3 calls LeakyReLU's slope negative_slope, Keras 2 called it alpha; both default to 0.3.
export const leakyReluSpec = slopeSpec('LeakyReLU', 'leaky_relu', 'negative_slope', 0.3, ['alpha']);
export const eluSpec = slopeSpec('ELU', 'elu', 'alpha', 1);

export const softmaxSpec: LayerSpec = {
  className: 'Softmax',
  layerClass: 'Activation',
  positional: ['axis'],
  read(r) {
    r.requireDefault(
      'axis',
      (v) => v === -1 || (Array.isArray(v) && v.length === 1 && v[0] === -1),
      'softmax runs over the last axis; remove axis',
    );
    return act('Softmax', 'softmax');
  },
  writes: writtenAs('Softmax'),
  config: () => ({ axis: -1 }),
  defaults: () => ({ axis: -1 }),
  outputShape: same,
};

/**
 * `activation=LeakyReLU(0.2)` / `activation=layers.ReLU()` / Keras 3 JSON's serialized layer object: the
 * engine's named activation when the object computes exactly it, or null (then the caller refuses it).
 * `arg(name, position)` gives the object's argument, by keyword or position.
 */
export function activationOfLayerObject(
  className: string,
  arg: (name: string, position: number) => ConfigValue | undefined,
): ActivationName | null {
  const unset = (v: ConfigValue | undefined, dflt: ConfigValue) =>
    v === undefined || v === null || v === dflt;
  switch (className) {
    case 'ReLU': {
      if (!unset(arg('negative_slope', 1), 0) || !unset(arg('threshold', 2), 0)) return null;
      const cap = arg('max_value', 0);
      return unset(cap, null) ? 'relu' : cap === 6 ? 'relu6' : null;
    }
    case 'LeakyReLU': {
      // The engine's leaky_relu has Keras's functional default slope, 0.2 (the layer's default is 0.3).
      const slope = arg('negative_slope', 0) ?? arg('alpha', -1) ?? 0.3;
      return slope === 0.2 ? 'leaky_relu' : null;
    }
    case 'ELU':
      return unset(arg('alpha', 0), 1) ? 'elu' : null;
    case 'Softmax':
      return unset(arg('axis', 0), -1) ? 'softmax' : null;
    case 'Activation': {
      const a = arg('activation', 0);
      return typeof a === 'string' && isActivation(a) ? a : null;
    }
    default:
      return null;
  }
}

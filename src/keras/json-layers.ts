// One layer of a Keras 2 / Keras 3 / TF.js JSON config to a Paperweight Layer. Unknown fields are ignored;
// fields that would change the network (channels_first, dilation, groups) are refused.
import {
  ACTIVATIONS,
  Activation,
  AveragePooling2D,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  GlobalAveragePooling2D,
  type InitializerName,
  isActivation,
  isInitializer,
  type Layer,
  MaxPooling2D,
  ZeroPadding2D,
} from '../model';
import { KerasImportError, suggestion } from './errors';
import { LAYER_ALIASES } from './layer-names';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a layer is in the JSON, for messages: "layer 3 'conv3d' (Conv3D)". */
export class LayerJson {
  constructor(
    readonly index: number,
    readonly className: string,
    readonly config: JsonObject,
    readonly warnings: string[],
  ) {}
  get where(): string {
    const name = typeof this.config.name === 'string' ? ` '${this.config.name}'` : '';
    return `layer ${this.index + 1}${name} (${this.className})`;
  }
  fail(message: string): never {
    throw new KerasImportError(`${this.where}: ${message}`);
  }
  num(key: string): number | undefined {
    const v = this.config[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number') this.fail(`${key} must be a number, got ${JSON.stringify(v)}`);
    return v;
  }
  size(key: string): number[] | undefined {
    const v = this.config[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
    return this.fail(`${key} must be an int or a list of ints, got ${JSON.stringify(v)}`);
  }
  str(key: string): string | undefined {
    const v = this.config[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail(`${key} must be a string, got ${JSON.stringify(v)}`);
    return v;
  }
  requireDefault(key: string, ok: (v: Json) => boolean, fix: string): void {
    const v = this.config[key];
    if (v === undefined || v === null || ok(v)) return;
    this.fail(`${key}=${JSON.stringify(v)} is not supported; ${fix}`);
  }
}

/** Keras 2/3 and TF.js spell activations as a string, or (some Keras 3 versions) {class_name: 'function', config: 'relu'}. */
function activation(l: LayerJson): string | undefined {
  let v = l.config.activation;
  if (isObject(v) && typeof v.config === 'string') v = v.config;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return l.fail(`activation ${JSON.stringify(v)} is not supported`);
  if (!isActivation(v)) {
    l.fail(`activation '${v}' is not supported; ${suggestion(v, ACTIVATIONS, 'activation')}`);
  }
  return v;
}

/** Initializers: a name, {class_name: 'GlorotUniform'}, or TF.js's VarianceScaling with its settings. */
function initializer(l: LayerJson, key: string): InitializerName | undefined {
  const v = l.config[key];
  if (v === undefined || v === null) return undefined;
  let name: string | undefined;
  if (typeof v === 'string') name = v;
  else if (isObject(v) && typeof v.class_name === 'string') {
    const cfg = isObject(v.config) ? v.config : {};
    if (v.class_name === 'VarianceScaling') {
      const dist = String(cfg.distribution ?? 'truncated_normal').includes('normal') ? 'normal' : 'uniform';
      const family =
        cfg.scale === 1 && cfg.mode === 'fan_avg'
          ? 'glorot'
          : cfg.scale === 2 && cfg.mode === 'fan_in'
            ? 'he'
            : cfg.scale === 1 && cfg.mode === 'fan_in'
              ? 'lecun'
              : null;
      name = family ? `${family}_${dist}` : undefined;
    } else name = v.class_name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  }
  if (name && isInitializer(name)) return name;
  l.warnings.push(`${l.where}: ${key} ${JSON.stringify(v)} is not supported; using Keras's default`);
  return undefined;
}

const allOnes = (v: Json) => v === 1 || (Array.isArray(v) && v.every((x) => x === 1));

function channelsLast(l: LayerJson): void {
  l.requireDefault('data_format', (v) => v === 'channels_last', 'Paperweight is channels_last (NHWC)');
}

function padding(l: LayerJson): 'valid' | 'same' | undefined {
  const p = l.str('padding');
  if (p !== undefined && p !== 'valid' && p !== 'same')
    l.fail(`padding '${p}' is not supported; use 'valid' or 'same'`);
  return p as 'valid' | 'same' | undefined;
}

/** The layer, or null for an InputLayer (whose shape the caller reads). */
export function layerFromJson(l: LayerJson): Layer {
  const canonical = LAYER_ALIASES[l.className];
  if (!canonical) {
    if (l.className === 'BatchNormalization') {
      l.fail("Paperweight's engine has no batch normalization yet; remove the BatchNormalization layers");
    }
    l.fail(
      `'${l.className}' is not supported; ${suggestion(l.className, Object.keys(LAYER_ALIASES), 'layer')}`,
    );
  }
  const layer = make(l, canonical);
  if (typeof l.config.name === 'string') layer.config.name = l.config.name;
  return layer;
}

function make(l: LayerJson, canonical: string): Layer {
  switch (canonical) {
    case 'Conv2D': {
      channelsLast(l);
      l.requireDefault('dilation_rate', allOnes, 'Paperweight has no dilated convolutions');
      l.requireDefault('groups', allOnes, 'Paperweight has no grouped convolutions');
      const filters = l.num('filters');
      const kernel = l.size('kernel_size');
      if (filters === undefined || kernel === undefined) return l.fail('needs filters and kernel_size');
      return Conv2D({
        filters,
        kernel_size: kernel,
        strides: l.size('strides'),
        padding: padding(l),
        activation: activation(l),
        use_bias: l.config.use_bias !== false,
        kernel_initializer: initializer(l, 'kernel_initializer'),
        bias_initializer: initializer(l, 'bias_initializer'),
      });
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      channelsLast(l);
      const make = canonical === 'MaxPooling2D' ? MaxPooling2D : AveragePooling2D;
      return make({
        pool_size: l.size('pool_size'),
        strides: l.size('strides') ?? null,
        padding: padding(l),
      });
    }
    case 'Dense': {
      const units = l.num('units');
      if (units === undefined) return l.fail('needs units');
      return Dense({
        units,
        activation: activation(l),
        use_bias: l.config.use_bias !== false,
        kernel_initializer: initializer(l, 'kernel_initializer'),
        bias_initializer: initializer(l, 'bias_initializer'),
      });
    }
    case 'Dropout': {
      const rate = l.num('rate');
      if (rate === undefined) return l.fail('needs rate');
      const seed = l.num('seed');
      return Dropout({ rate, seed: seed ?? null });
    }
    case 'Flatten':
      channelsLast(l);
      return Flatten();
    case 'Activation':
      return Activation({ activation: activation(l) ?? 'linear' });
    case 'ZeroPadding2D': {
      channelsLast(l);
      const p = l.config.padding;
      if (typeof p === 'number') return ZeroPadding2D({ padding: p });
      if (Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'number')) {
        return ZeroPadding2D({ padding: p as number[] });
      }
      if (Array.isArray(p) && p.length === 2 && p.every((x) => Array.isArray(x))) {
        return ZeroPadding2D({ padding: p as number[][] });
      }
      return l.fail(`padding ${JSON.stringify(p)} is not an int, [h, w] or [[top, bottom], [left, right]]`);
    }
    case 'GlobalAveragePooling2D':
      channelsLast(l);
      l.requireDefault('keepdims', (v) => v === false, 'keepdims must be false');
      return GlobalAveragePooling2D();
    case 'ReLU': {
      l.requireDefault('max_value', () => false, 'the engine has no capped relu');
      l.requireDefault('threshold', (v) => v === 0, 'threshold must be 0');
      const slope = l.num('negative_slope') ?? 0;
      return slope === 0
        ? Activation({ activation: 'relu' })
        : Activation({ activation: 'leaky_relu', alpha: slope });
    }
    case 'Softmax':
      l.requireDefault(
        'axis',
        (v) => v === -1 || (Array.isArray(v) && v.length === 1 && v[0] === -1),
        'axis must be -1',
      );
      return Activation({ activation: 'softmax' });
    case 'LeakyReLU':
      // Keras 3: negative_slope; Keras 2 and TF.js: alpha. Both default to 0.3.
      return Activation({
        activation: 'leaky_relu',
        alpha: l.num('negative_slope') ?? l.num('alpha') ?? 0.3,
      });
    default:
      return Activation({ activation: 'elu', alpha: l.num('alpha') ?? 1 });
  }
}

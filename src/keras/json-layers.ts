// One layer of a Keras 2 / Keras 3 / TF.js JSON config to a Paperweight Layer, through the layer's spec in the
// registry. Unknown fields are ignored; fields that would change the network (channels_first, dilation,
// groups) are refused, and so is a class Paperweight does not have, by name.
import {
  ACTIVATIONS,
  type ActivationName,
  type ArgReader,
  activationOfLayerObject,
  type ConfigValue,
  type InitializerName,
  isActivation,
  isInitializer,
  LAYER_NAMES,
  type Layer,
  specByName,
} from '../model';
import { KerasImportError, suggestion } from './errors';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isPlain = (v: Json): v is ConfigValue => !isObject(v) && (!Array.isArray(v) || v.every(isPlain));

/** A layer's JSON config as its spec reads it; messages say where the layer is: "layer 3 'c' (Conv3D)". */
export class LayerJson implements ArgReader {
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
  get what(): string {
    return this.where;
  }
  fail(message: string, _at?: string): never {
    throw new KerasImportError(`${this.where}: ${message}`);
  }
  has(key: string): boolean {
    return this.config[key] !== undefined;
  }
  raw(key: string): ConfigValue | undefined {
    const v = this.config[key];
    return v !== undefined && isPlain(v) ? v : undefined;
  }
  private value(key: string): Json | undefined {
    const v = this.config[key];
    return v === null ? undefined : v;
  }
  num(key: string): number | undefined {
    return this.number(key);
  }
  number(key: string): number | undefined {
    const v = this.value(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'number') this.fail(`${key} must be a number, got ${JSON.stringify(v)}`);
    return v;
  }
  int(key: string, min = 1): number | undefined {
    const v = this.number(key);
    if (v === undefined) return undefined;
    if (!Number.isInteger(v)) this.fail(`${key} must be an integer, got ${v}`);
    if (v < min) this.fail(`${key} must be at least ${min}, got ${v}`);
    return v;
  }
  bool(key: string): boolean | undefined {
    const v = this.value(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(`${key} must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }
  str(key: string, allowed?: readonly string[]): string | undefined {
    const v = this.value(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail(`${key} must be a string, got ${JSON.stringify(v)}`);
    if (allowed && !allowed.includes(v)) {
      this.fail(`${key} '${v}' is not supported; use ${allowed.map((a) => `'${a}'`).join(' or ')}`);
    }
    return v;
  }
  size(key: string, n = 2): number[] | undefined {
    const v = this.numbers(key);
    if (v === undefined) return undefined;
    if ((v.length !== 1 && v.length !== n) || !v.every((x) => Number.isInteger(x) && x >= 1)) {
      this.fail(
        `${key} must be an int or a list of ${n} positive ints, got ${JSON.stringify(this.config[key])}`,
      );
    }
    return v;
  }
  ints(key: string): number[] | undefined {
    const v = this.numbers(key);
    if (v && !v.every(Number.isInteger)) this.fail(`${key} must be a list of ints, got ${JSON.stringify(v)}`);
    return v;
  }
  numbers(key: string): number[] | undefined {
    const v = this.value(key);
    if (v === undefined) return undefined;
    if (typeof v === 'number') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
    return this.fail(`${key} must be a number or a list of numbers, got ${JSON.stringify(v)}`);
  }
  requireDefault(key: string, ok: (v: ConfigValue) => boolean, fix: string): void {
    const v = this.config[key];
    if (v === undefined || v === null || (isPlain(v) && ok(v))) return;
    this.fail(`${key}=${JSON.stringify(v)} is not supported; ${fix}`);
  }
  ignore(key: string, why: string): void {
    const v = this.config[key];
    if (v === undefined || v === null) return;
    this.warnings.push(`${this.where}: ${key} ${JSON.stringify(v)} is ignored (${why})`);
  }
  activation(key = 'activation'): ActivationName | undefined {
    return activation(this, key);
  }
  initializer(key: string): InitializerName | undefined {
    return initializer(this, key);
  }
}

/**
 * Keras 2/3 and TF.js spell activations as a string; some Keras 3 versions as {class_name: 'function', config:
 * 'relu'}, and a layer object used as an activation as {class_name: 'LeakyReLU', config: {...}}.
 */
function activation(l: LayerJson, key: string): ActivationName | undefined {
  let v = l.config[key];
  if (isObject(v) && typeof v.config === 'string') v = v.config;
  if (v === undefined || v === null) return undefined;
  if (isObject(v) && typeof v.class_name === 'string') {
    const cfg = isObject(v.config) ? v.config : {};
    const act = activationOfLayerObject(v.class_name, (name) => {
      const x = cfg[name];
      return x !== undefined && isPlain(x) ? x : undefined;
    });
    if (act) return act;
    return l.fail(
      `activation ${JSON.stringify(v)} is not supported; use a linear activation and add the activation as ` +
        'its own layer after this one',
    );
  }
  if (typeof v !== 'string') return l.fail(`activation ${JSON.stringify(v)} is not supported`);
  if (!isActivation(v)) {
    l.fail(`activation '${v}' is not supported; ${suggestion(v, ACTIVATIONS, 'activation')}`);
  }
  return v as ActivationName;
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

/** The layer of one JSON layer entry (InputLayer is the caller's: it only gives the input shape). */
export function layerFromJson(l: LayerJson): Layer {
  const spec = specByName(l.className);
  if (!spec) {
    l.fail(
      `'${l.className}' is not supported; ${suggestion(l.className, Object.keys(LAYER_NAMES), 'layer')}`,
    );
  }
  const layer = spec.read(l);
  if (typeof l.config.name === 'string') layer.config.name = l.config.name;
  return layer;
}

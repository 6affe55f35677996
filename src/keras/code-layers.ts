// One Keras layer call from Python source (already read as a CallValue) to a Paperweight Layer, through the
// layer's spec in the registry (signature, defaults, aliases) and a CodeArgs reader that points errors at the
// argument in the source; plus input_shape / input_dim / Input(shape=) and the arguments every layer takes.
import {
  ACTIVATIONS,
  type ActivationName,
  type ArgReader,
  type ConfigValue,
  INITIALIZERS,
  type InitializerName,
  isActivation,
  isInitializer,
  LAYER_SPECS,
  type Layer,
  specByName,
} from '../model';
import { type ArgContext, type BoundArgs, bindArgs } from './args';
import { errorAt, suggestion } from './errors';
import { unsupportedLayerMessage } from './layer-hints';
import { baseName, type CallValue, describe, type Value } from './python-values';

const INPUTS = ['InputLayer', 'Input'];
/** Every class name the code importer reads, in the order messages list them (input layers after Activation). */
export const SUPPORTED_LAYER_NAMES = LAYER_SPECS.flatMap((s) => {
  const names = [s.className, ...(s.aliases ?? [])];
  return s.className === 'Activation' ? [...names, ...INPUTS] : names;
});

export function isLayerName(name: string): boolean {
  return INPUTS.includes(name) || specByName(name) !== undefined;
}

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

const INPUT_SIGNATURES: Record<string, { positional: string[]; keywords: string[] }> = {
  InputLayer: {
    positional: ['shape', 'batch_size', 'dtype', 'sparse', 'batch_shape', 'input_tensor'],
    keywords: ['ragged', 'optional'],
  },
  Input: {
    positional: ['shape', 'batch_size', 'dtype', 'sparse', 'batch_shape', 'name', 'tensor'],
    keywords: ['ragged', 'optional'],
  },
};

export interface LayerRead {
  /** Null for Input(shape=...), which only gives the model its input shape. */
  layer: Layer | null;
  inputShape: number[] | null;
}

export function layerFromCall(call: CallValue, ctx: ArgContext): LayerRead {
  const written = baseName(call.callee);
  const spec = specByName(written);
  const input = INPUT_SIGNATURES[written];
  if (!spec && !input) {
    throw errorAt(ctx.source, call.nameAt.from, unsupportedLayerMessage(written, SUPPORTED_LAYER_NAMES));
  }
  const sig = spec ?? input;
  const own = [...sig.positional, ...(sig.keywords ?? [])];
  const a = bindArgs(written, call, sig.positional, [...(sig.keywords ?? []), ...COMMON], ctx, [
    ...own,
    'input_shape',
    'name',
  ]);
  commonChecks(a);
  let layer: Layer | null = null;
  if (spec) layer = spec.read(new CodeArgs(a));
  let inputShape = a.shape('input_shape') ?? a.shape('batch_input_shape', true) ?? null;
  const dim = a.int('input_dim');
  if (dim !== undefined) inputShape = [dim];
  if (input) {
    const tensor = written === 'Input' ? 'tensor' : 'input_tensor';
    a.requireDefault(tensor, (v) => v.kind === 'none', 'give shape=(...) instead');
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

/** A Python literal as plain data; undefined for names, calls and other expressions. */
export function plainValue(v: Value): ConfigValue | undefined {
  switch (v.kind) {
    case 'num':
    case 'str':
    case 'bool':
      return v.value;
    case 'none':
      return null;
    case 'seq': {
      const items = v.items.map(plainValue);
      return items.some((i) => i === undefined) ? undefined : (items as ConfigValue[]);
    }
    default:
      return undefined;
  }
}

export function activationOf(a: BoundArgs, name = 'activation'): ActivationName | undefined {
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
    return a.fail(
      v.at,
      `${a.what}: activation '${act}' is not supported; ${hint}` +
        (hint.startsWith('did') ? ` (supported: ${ACTIVATIONS.join(', ')})` : ''),
    );
  }
  return act;
}

function initializerOf(a: BoundArgs, name: string): InitializerName | undefined {
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

/** A layer's arguments as its spec reads them, from a Python call: errors point at the argument. */
class CodeArgs implements ArgReader {
  constructor(private readonly a: BoundArgs) {}
  get what(): string {
    return this.a.what;
  }
  has(name: string): boolean {
    return this.a.has(name);
  }
  raw(name: string): ConfigValue | undefined {
    const v = this.a.get(name);
    return v === undefined ? undefined : plainValue(v);
  }
  int(name: string, min?: number): number | undefined {
    return this.a.int(name, min);
  }
  number(name: string): number | undefined {
    return this.a.number(name);
  }
  bool(name: string): boolean | undefined {
    return this.a.bool(name);
  }
  str(name: string, allowed?: readonly string[]): string | undefined {
    return this.a.str(name, allowed);
  }
  size(name: string, n?: number): number[] | undefined {
    return this.a.size(name, n);
  }
  ints(name: string): number[] | undefined {
    return this.list(name, 'a tuple of integers such as (7, 7, 64)', (x) => Number.isInteger(x));
  }
  numbers(name: string): number[] | undefined {
    return this.list(name, 'a number or a tuple of numbers', () => true);
  }
  private list(name: string, wanted: string, ok: (x: number) => boolean): number[] | undefined {
    const v = this.a.get(name);
    if (v === undefined || v.kind === 'none') return undefined;
    const p = plainValue(v);
    const items = Array.isArray(p) ? p : [p];
    if (!items.every((x) => typeof x === 'number' && ok(x))) {
      return this.a.fail(
        v.at,
        `${this.what}: cannot read ${name}=${describe(v, this.a.ctx.source)}; write ${wanted} literally ` +
          '(Paperweight reads code, it never runs it)',
      );
    }
    return items as number[];
  }
  activation(name = 'activation'): ActivationName | undefined {
    return activationOf(this.a, name);
  }
  initializer(name: string): InitializerName | undefined {
    return initializerOf(this.a, name);
  }
  requireDefault(name: string, ok: (v: ConfigValue) => boolean, fix: string): void {
    this.a.requireDefault(
      name,
      (v) => {
        const p = plainValue(v);
        return p === null || (p !== undefined && ok(p));
      },
      fix,
    );
  }
  ignore(name: string, why: string): void {
    this.a.ignore(name, why);
  }
  fail(message: string, at?: string): never {
    const v = at === undefined ? undefined : this.a.get(at);
    return this.a.fail(v?.at ?? this.a.call.nameAt, `${this.what}: ${message}`);
  }
}

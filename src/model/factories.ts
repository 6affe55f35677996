// Keras-style constructors: `Conv2D({ filters: 6, kernel_size: 5, activation: 'relu' })` fills Keras's defaults.
// Names are left empty here; Sequential assigns Keras's names (conv2d, conv2d_1, ...) when a layer has none.
import { type ActivationName, parseActivation } from './activations';
import { type InitializerName, isInitializer } from './initializers';
import { type Layer, type Padding, type Pair, pair } from './layers';

type Size = number | number[];

function padding(p: string | undefined, where: string): Padding {
  if (p === undefined || p === 'valid' || p === 'same') return p ?? 'valid';
  throw new Error(`${where}: padding must be 'valid' or 'same', got '${p}'`);
}

function init(name: string | undefined, fallback: InitializerName, where: string): InitializerName {
  if (name === undefined) return fallback;
  if (isInitializer(name)) return name;
  throw new Error(`${where}: initializer '${name}' is not supported`);
}

/** The arguments every layer with a kernel and a bias takes, with Keras's defaults. */
interface WeightedArgs {
  activation?: string | null;
  use_bias?: boolean;
  kernel_initializer?: string;
  bias_initializer?: string;
  name?: string;
}

function weighted(a: WeightedArgs, where: string) {
  return {
    activation: parseActivation(a.activation, where),
    use_bias: a.use_bias ?? true,
    kernel_initializer: init(a.kernel_initializer, 'glorot_uniform', where),
    bias_initializer: init(a.bias_initializer, 'zeros', where),
  };
}

export interface Conv2DArgs extends WeightedArgs {
  filters: number;
  kernel_size: Size;
  strides?: Size;
  padding?: string;
}
export function Conv2D(a: Conv2DArgs): Layer {
  const w = a.name ?? 'Conv2D';
  return {
    className: 'Conv2D',
    config: {
      name: a.name ?? '',
      filters: a.filters,
      kernel_size: pair(a.kernel_size, [1, 1], `${w}: kernel_size`),
      strides: pair(a.strides, [1, 1], `${w}: strides`),
      padding: padding(a.padding, w),
      ...weighted(a, w),
    },
  };
}

export interface Pooling2DArgs {
  pool_size?: Size;
  strides?: Size | null;
  padding?: string;
  name?: string;
}
function pooling(className: 'MaxPooling2D' | 'AveragePooling2D', a: Pooling2DArgs): Layer {
  const w = a.name ?? className;
  const pool: Pair = pair(a.pool_size, [2, 2], `${w}: pool_size`);
  // Keras: strides=None means strides = pool_size.
  const strides =
    a.strides === undefined || a.strides === null ? pool : pair(a.strides, pool, `${w}: strides`);
  return {
    className,
    config: { name: a.name ?? '', pool_size: pool, strides, padding: padding(a.padding, w) },
  };
}
export const MaxPooling2D = (a: Pooling2DArgs = {}) => pooling('MaxPooling2D', a);
export const AveragePooling2D = (a: Pooling2DArgs = {}) => pooling('AveragePooling2D', a);

export interface DenseArgs extends WeightedArgs {
  units: number;
}
export function Dense(a: DenseArgs): Layer {
  const w = a.name ?? 'Dense';
  return { className: 'Dense', config: { name: a.name ?? '', units: a.units, ...weighted(a, w) } };
}

export const Dropout = (a: { rate: number; seed?: number | null; name?: string }): Layer => ({
  className: 'Dropout',
  config: { name: a.name ?? '', rate: a.rate, seed: a.seed ?? null },
});

export const Flatten = (a: { name?: string } = {}): Layer => ({
  className: 'Flatten',
  config: { name: a.name ?? '' },
});

export const Activation = (a: { activation: string; alpha?: number; name?: string }): Layer => {
  const config: { name: string; activation: ActivationName; alpha?: number } = {
    name: a.name ?? '',
    activation: parseActivation(a.activation, a.name ?? 'Activation'),
  };
  if (a.alpha !== undefined) config.alpha = a.alpha;
  return { className: 'Activation', config };
};

export const InputLayer = (a: { shape: number[]; name?: string }): Layer => ({
  className: 'InputLayer',
  config: { name: a.name ?? '', shape: [...a.shape] },
});

export function ZeroPadding2D(a: { padding?: number | number[] | number[][]; name?: string } = {}): Layer {
  const p = a.padding ?? 1;
  let padding: [Pair, Pair];
  if (typeof p === 'number')
    padding = [
      [p, p],
      [p, p],
    ];
  else if (p.length === 2 && typeof p[0] === 'number') {
    const [h, w] = p as number[];
    padding = [
      [h, h],
      [w, w],
    ];
  } else if (p.length === 2 && Array.isArray(p[0])) {
    const [hh, ww] = p as number[][];
    padding = [pair(hh, [0, 0], 'padding'), pair(ww, [0, 0], 'padding')];
  } else throw new Error(`ZeroPadding2D: padding must be an int, (h, w) or ((top, bottom), (left, right))`);
  return { className: 'ZeroPadding2D', config: { name: a.name ?? '', padding } };
}

export const GlobalAveragePooling2D = (a: { name?: string } = {}): Layer => ({
  className: 'GlobalAveragePooling2D',
  config: { name: a.name ?? '' },
});

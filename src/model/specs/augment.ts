// Data augmentation layers: random in training, identity at inference, except RandomCrop, which at inference
// resizes the largest centred window of its aspect ratio to its size (Keras 3). At the model level they only have
// shapes; the batch gather applies them (src/model/augment-chain.ts, shaders/batch.wgsl).
import type { Factor, FillMode, Layer, LayerClassName } from '../layers';
import { ShapeError, spatial } from '../shapes';
import {
  type ArgReader,
  type ConfigValue,
  cfg,
  channelsLast,
  type LayerSpec,
  type PlainConfig,
} from './spec';

const FILL_MODES = ['reflect', 'wrap', 'constant', 'nearest'] as const;
const INTERPOLATIONS = ['bilinear', 'nearest'] as const;

function factor(r: ArgReader, name: string, required: true): Factor;
function factor(r: ArgReader, name: string, required: false): Factor | null;
function factor(r: ArgReader, name: string, required: boolean): Factor | null {
  const v = r.numbers(name);
  if (v === undefined) {
    if (required) return r.fail(`needs ${name}, e.g. ${name}=0.1`, name);
    return null;
  }
  if (v.length === 1) return v[0];
  if (v.length === 2) return [v[0], v[1]];
  return r.fail(`${name} must be a number or a (lower, upper) pair`, name);
}

const factorValue = (f: Factor | null): ConfigValue => (Array.isArray(f) ? [...f] : f);

/** fill_mode, interpolation, seed, fill_value: what the geometric ones share. */
function geometric(r: ArgReader) {
  channelsLast(r);
  return {
    fill_mode: (r.str('fill_mode', FILL_MODES) ?? 'reflect') as FillMode,
    interpolation: (r.str('interpolation', INTERPOLATIONS) ?? 'bilinear') as 'bilinear' | 'nearest',
    seed: r.int('seed', 0) ?? null,
    fill_value: r.number('fill_value') ?? 0,
  };
}

const GEOMETRIC_DEFAULTS: PlainConfig = {
  fill_mode: 'reflect',
  interpolation: 'bilinear',
  seed: null,
  fill_value: 0,
  data_format: 'channels_last',
  width_factor: null,
  value_range: [0, 255],
};

/** Image in, same shape out. */
function imageShape(layer: Layer, [input]: number[][]): number[] {
  spatial(layer, input, 'augmentation layers work on images; put it before Flatten');
  return [...input];
}

function augmentSpec(
  className: LayerClassName,
  positional: string[],
  read: (r: ArgReader) => Layer,
  config: (layer: Layer) => PlainConfig,
): LayerSpec {
  return {
    className,
    layerClass: className,
    positional,
    read,
    config,
    defaults: () => ({ ...GEOMETRIC_DEFAULTS, mode: 'horizontal_and_vertical' }),
    exportPositional: 0,
    outputShape: imageShape,
  };
}

export const randomFlipSpec = augmentSpec(
  'RandomFlip',
  ['mode', 'seed', 'data_format'],
  (r) => {
    channelsLast(r);
    const mode =
      r.str('mode', ['horizontal', 'vertical', 'horizontal_and_vertical']) ?? 'horizontal_and_vertical';
    return {
      className: 'RandomFlip',
      config: {
        name: '',
        mode: mode as 'horizontal' | 'vertical' | 'horizontal_and_vertical',
        seed: r.int('seed', 0) ?? null,
      },
    };
  },
  (layer) => {
    const c = cfg(layer, 'RandomFlip');
    return { mode: c.mode, seed: c.seed, data_format: 'channels_last' };
  },
);

/** The config keys every geometric layer exports after its factors. */
function geometricConfig(c: {
  fill_mode: FillMode;
  interpolation: 'bilinear' | 'nearest';
  seed: number | null;
  fill_value: number;
}): PlainConfig {
  const { fill_mode, interpolation, seed, fill_value } = c;
  return { fill_mode, interpolation, seed, fill_value, data_format: 'channels_last' };
}

const TWO_FACTORS = [
  'height_factor',
  'width_factor',
  'fill_mode',
  'interpolation',
  'seed',
  'fill_value',
  'data_format',
];

/** RandomTranslation and RandomZoom: a height and a width factor, then the geometric arguments. */
function twoFactorSpec(className: 'RandomTranslation' | 'RandomZoom', widthRequired: boolean): LayerSpec {
  return augmentSpec(
    className,
    TWO_FACTORS,
    (r) =>
      ({
        className,
        config: {
          name: '',
          height_factor: factor(r, 'height_factor', true),
          width_factor: widthRequired ? factor(r, 'width_factor', true) : factor(r, 'width_factor', false),
          ...geometric(r),
        },
      }) as Layer,
    (layer) => {
      const c = cfg(layer, className);
      const factors = {
        height_factor: factorValue(c.height_factor),
        width_factor: factorValue(c.width_factor),
      };
      return { ...factors, ...geometricConfig(c) };
    },
  );
}

export const randomTranslationSpec = twoFactorSpec('RandomTranslation', true);

export const randomRotationSpec = augmentSpec(
  'RandomRotation',
  ['factor', 'fill_mode', 'interpolation', 'seed', 'fill_value', 'value_range', 'data_format'],
  (r) => {
    r.ignore('value_range', 'images keep their range');
    return {
      className: 'RandomRotation',
      config: { name: '', factor: factor(r, 'factor', true), ...geometric(r) },
    };
  },
  (layer) => {
    const c = cfg(layer, 'RandomRotation');
    return { factor: factorValue(c.factor), ...geometricConfig(c) };
  },
);

// width_factor=None zooms both axes by the same draw (src/model/augment-chain.ts).
export const randomZoomSpec = twoFactorSpec('RandomZoom', false);

export const randomCropSpec: LayerSpec = {
  className: 'RandomCrop',
  layerClass: 'RandomCrop',
  positional: ['height', 'width', 'seed', 'data_format'],
  read(r) {
    channelsLast(r);
    const height = r.int('height');
    const width = r.int('width');
    if (height === undefined || width === undefined)
      return r.fail('needs height and width, e.g. RandomCrop(28, 28)');
    return { className: 'RandomCrop', config: { name: '', height, width, seed: r.int('seed', 0) ?? null } };
  },
  config(layer) {
    const c = cfg(layer, 'RandomCrop');
    return { height: c.height, width: c.width, seed: c.seed, data_format: 'channels_last' };
  },
  defaults: () => ({ seed: null, data_format: 'channels_last' }),
  exportPositional: 2,
  outputShape(layer, [input]) {
    const c = cfg(layer, 'RandomCrop');
    const [h, w, ch] = spatial(layer, input, 'RandomCrop works on images; put it before Flatten');
    if (c.height > h || c.width > w) {
      throw new ShapeError(
        `${c.name} (RandomCrop) crops ${c.height}x${c.width} out of a ${h}x${w} image; crop at most the image size`,
        c.name,
      );
    }
    return [c.height, c.width, ch];
  },
};

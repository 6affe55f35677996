// Spatial layers without weights: pooling, global pooling, zero padding and nearest-neighbour upsampling.
import type { Layer, Padding, Pair } from '../layers';
import { pair } from '../layers';
import { ShapeError, spatial, windowed } from '../shapes';
import { type ArgReader, cfg, channelsLast, type LayerSpec } from './spec';

function readPool(r: ArgReader, className: 'MaxPooling2D' | 'AveragePooling2D'): Layer {
  channelsLast(r);
  const pool: Pair = pair(r.size('pool_size'), [2, 2], `${r.what}: pool_size`);
  const strides = r.size('strides');
  return {
    className,
    config: {
      name: '',
      pool_size: pool,
      // Keras: strides=None means strides = pool_size.
      strides: strides === undefined ? [...pool] : pair(strides, pool, `${r.what}: strides`),
      padding: (r.str('padding', ['valid', 'same']) ?? 'valid') as Padding,
    },
  };
}

function poolSpec(className: 'MaxPooling2D' | 'AveragePooling2D', alias: string): LayerSpec {
  return {
    className,
    aliases: [alias],
    layerClass: className,
    positional: ['pool_size', 'strides', 'padding', 'data_format'],
    read: (r) => readPool(r, className),
    config(layer) {
      const c = cfg(layer, className);
      return {
        pool_size: [...c.pool_size],
        padding: c.padding,
        strides: [...c.strides],
        data_format: 'channels_last',
      };
    },
    defaults: (c) => ({ strides: c.pool_size, padding: 'valid', data_format: 'channels_last' }),
    outputShape(layer, [input]) {
      const c = cfg(layer, className);
      return windowed(layer, input, c.pool_size, c.strides, c.padding, 'pool size');
    },
  };
}

export const maxPooling2dSpec = poolSpec('MaxPooling2D', 'MaxPool2D');
export const averagePooling2dSpec = poolSpec('AveragePooling2D', 'AvgPool2D');

function globalPoolSpec(
  className: 'GlobalAveragePooling2D' | 'GlobalMaxPooling2D',
  alias: string,
): LayerSpec {
  return {
    className,
    aliases: [alias],
    layerClass: className,
    positional: ['data_format', 'keepdims'],
    read(r) {
      channelsLast(r);
      r.requireDefault('keepdims', (v) => v === false, 'remove keepdims (it must be False)');
      return { className, config: { name: '' } };
    },
    config: () => ({ data_format: 'channels_last', keepdims: false }),
    defaults: () => ({ data_format: 'channels_last', keepdims: false }),
    outputShape(layer, [input]) {
      const [, , ch] = spatial(layer, input, 'put it before Flatten');
      return [ch];
    },
  };
}

export const globalAveragePooling2dSpec = globalPoolSpec('GlobalAveragePooling2D', 'GlobalAvgPool2D');
export const globalMaxPooling2dSpec = globalPoolSpec('GlobalMaxPooling2D', 'GlobalMaxPool2D');

const PADDING_FORMS = 'ZeroPadding2D: padding must be an int, (h, w) or ((top, bottom), (left, right))';

function readZeroPadding(r: ArgReader): [Pair, Pair] {
  const p = r.raw('padding');
  const bad = (): never => r.fail(PADDING_FORMS.replace('ZeroPadding2D: ', ''), 'padding');
  const int = (x: unknown): number => (typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : bad());
  if (!r.has('padding') || p === null) {
    return [
      [1, 1],
      [1, 1],
    ];
  }
  if (typeof p === 'number') {
    const v = int(p);
    return [
      [v, v],
      [v, v],
    ];
  }
  if (Array.isArray(p) && p.length === 2) {
    const [h, w] = p;
    if (Array.isArray(h) && Array.isArray(w) && h.length === 2 && w.length === 2) {
      return [
        [int(h[0]), int(h[1])],
        [int(w[0]), int(w[1])],
      ];
    }
    const hh = int(h);
    const ww = int(w);
    return [
      [hh, hh],
      [ww, ww],
    ];
  }
  return bad();
}

export const zeroPadding2dSpec: LayerSpec = {
  className: 'ZeroPadding2D',
  layerClass: 'ZeroPadding2D',
  positional: ['padding', 'data_format'],
  read: (r) => {
    channelsLast(r);
    return { className: 'ZeroPadding2D', config: { name: '', padding: readZeroPadding(r) } };
  },
  config: (layer) => ({
    padding: cfg(layer, 'ZeroPadding2D').padding.map((p) => [...p]),
    data_format: 'channels_last',
  }),
  defaults: () => ({ data_format: 'channels_last' }),
  outputShape(layer, [input]) {
    const [h, w, ch] = spatial(layer, input, 'put it before Flatten');
    const [[t, b], [l, r]] = cfg(layer, 'ZeroPadding2D').padding;
    return [h + t + b, w + l + r, ch];
  },
};

export const upSampling2dSpec: LayerSpec = {
  className: 'UpSampling2D',
  layerClass: 'UpSampling2D',
  positional: ['size', 'data_format', 'interpolation'],
  read(r) {
    channelsLast(r);
    r.str('interpolation', ['nearest']);
    return {
      className: 'UpSampling2D',
      config: {
        name: '',
        size: pair(r.size('size'), [2, 2], `${r.what}: size`),
        interpolation: 'nearest',
      },
    };
  },
  config: (layer) => {
    const c = cfg(layer, 'UpSampling2D');
    return { size: [...c.size], data_format: 'channels_last', interpolation: c.interpolation };
  },
  defaults: () => ({ size: [2, 2], data_format: 'channels_last', interpolation: 'nearest' }),
  exportPositional: 0,
  outputShape(layer, [input]) {
    const c = cfg(layer, 'UpSampling2D');
    const [h, w, ch] = spatial(layer, input, 'put it before Flatten');
    if (c.size[0] < 1 || c.size[1] < 1) {
      throw new ShapeError(`${c.name}: size must be at least 1`, c.name);
    }
    return [h * c.size[0], w * c.size[1], ch];
  },
};

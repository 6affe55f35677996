// BatchNormalization (4 weights in Keras order; the moving ones non-trainable), Normalization (adapted mean,
// variance and count held as non-trainable weights, as Keras counts them) and Rescaling.

import type { InitializerName } from '../initializers';
import type { Layer } from '../layers';
import { type ParamSpec, ShapeError } from '../shapes';
import { type ArgReader, cfg, type LayerSpec, nulls, pick } from './spec';

/** Paperweight normalizes the channel axis only: -1, or its positive index counting the batch axis. */
function channelAxis(layer: Layer, axis: number, input: number[]): number {
  if (axis === -1 || axis === input.length) return input[input.length - 1];
  throw new ShapeError(
    `${layer.config.name} (${layer.className}) normalizes axis ${axis} of (None, ${input.join(', ')}); ` +
      'Paperweight normalizes the channel axis (channels_last): use axis=-1',
    layer.config.name,
  );
}

function axisOf(r: ArgReader): number {
  const v = r.raw('axis');
  if (v === undefined || v === null) return -1;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return v[0];
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return r.fail(`axis=${JSON.stringify(v)} is not supported; use axis=-1 (the channel axis)`, 'axis');
}

const BN_IGNORED = ['beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint'];
/** BatchNormalization's initializers and Keras's defaults for them, in Keras's order. */
const BN_INITIALIZERS = {
  beta_initializer: 'zeros',
  gamma_initializer: 'ones',
  moving_mean_initializer: 'zeros',
  moving_variance_initializer: 'ones',
} as const satisfies Record<string, InitializerName>;
const BN_INITIALIZER_NAMES = Object.keys(BN_INITIALIZERS) as (keyof typeof BN_INITIALIZERS)[];

export const batchNormalizationSpec: LayerSpec = {
  className: 'BatchNormalization',
  aliases: ['BatchNorm'],
  layerClass: 'BatchNormalization',
  positional: [
    'axis',
    'momentum',
    'epsilon',
    'center',
    'scale',
    'beta_initializer',
    'gamma_initializer',
    'moving_mean_initializer',
    'moving_variance_initializer',
    ...BN_IGNORED,
    'synchronized',
  ],
  // Keras 2 / tf.keras arguments that change nothing when left at their default.
  keywords: ['renorm', 'renorm_clipping', 'renorm_momentum', 'fused', 'virtual_batch_size', 'adjustment'],
  read(r) {
    for (const n of BN_IGNORED) r.ignore(n, 'Paperweight trains without regularizers and constraints');
    r.requireDefault('renorm', (v) => v === false, 'Paperweight has no batch renormalization; remove renorm');
    r.requireDefault('virtual_batch_size', () => false, 'remove virtual_batch_size');
    r.requireDefault('adjustment', () => false, 'remove adjustment');
    const epsilon = r.number('epsilon') ?? 1e-3;
    const momentum = r.number('momentum') ?? 0.99;
    if (!(momentum >= 0 && momentum <= 1)) r.fail(`momentum must be in [0, 1], got ${momentum}`, 'momentum');
    if (!(epsilon > 0)) r.fail(`epsilon must be positive, got ${epsilon}`, 'epsilon');
    return {
      className: 'BatchNormalization',
      config: {
        name: '',
        axis: axisOf(r),
        momentum,
        epsilon,
        center: r.bool('center') ?? true,
        scale: r.bool('scale') ?? true,
        ...(Object.fromEntries(
          BN_INITIALIZER_NAMES.map((k) => [k, r.initializer(k) ?? BN_INITIALIZERS[k]]),
        ) as Record<keyof typeof BN_INITIALIZERS, InitializerName>),
      },
    };
  },
  config: (layer) => ({
    ...pick(cfg(layer, 'BatchNormalization'), ['axis', 'momentum', 'epsilon', 'center', 'scale']),
    ...pick(cfg(layer, 'BatchNormalization'), BN_INITIALIZER_NAMES),
    ...nulls(BN_IGNORED),
    synchronized: false,
  }),
  defaults: () => ({
    axis: -1,
    momentum: 0.99,
    epsilon: 0.001,
    center: true,
    scale: true,
    ...BN_INITIALIZERS,
    ...nulls(BN_IGNORED),
    synchronized: false,
  }),
  outputShape(layer, [input]) {
    channelAxis(layer, cfg(layer, 'BatchNormalization').axis, input);
    return [...input];
  },
  params(layer, [input]) {
    const c = cfg(layer, 'BatchNormalization');
    const ch = channelAxis(layer, c.axis, input);
    const specs: ParamSpec[] = [];
    if (c.scale) specs.push({ name: 'gamma', shape: [ch], initializer: c.gamma_initializer });
    if (c.center) specs.push({ name: 'beta', shape: [ch], initializer: c.beta_initializer });
    specs.push(
      { name: 'moving_mean', shape: [ch], initializer: c.moving_mean_initializer, trainable: false },
      { name: 'moving_variance', shape: [ch], initializer: c.moving_variance_initializer, trainable: false },
    );
    return specs;
  },
};

export const normalizationSpec: LayerSpec = {
  className: 'Normalization',
  layerClass: 'Normalization',
  positional: ['axis', 'mean', 'variance', 'invert'],
  read(r) {
    r.requireDefault(
      'invert',
      (v) => v === false,
      'Paperweight has no inverted normalization; remove invert',
    );
    const mean = r.numbers('mean') ?? null;
    const variance = r.numbers('variance') ?? null;
    if ((mean === null) !== (variance === null)) {
      r.fail('give both mean and variance, or neither (then they are adapted on the dataset)');
    }
    return { className: 'Normalization', config: { name: '', axis: axisOf(r), mean, variance } };
  },
  config(layer) {
    const c = cfg(layer, 'Normalization');
    return {
      axis: c.axis,
      mean: c.mean ? [...c.mean] : null,
      variance: c.variance ? [...c.variance] : null,
      invert: false,
    };
  },
  defaults: () => ({ axis: -1, mean: null, variance: null, invert: false }),
  outputShape(layer, [input]) {
    const c = cfg(layer, 'Normalization');
    const ch = channelAxis(layer, c.axis, input);
    for (const [what, v] of [
      ['mean', c.mean],
      ['variance', c.variance],
    ] as const) {
      if (v && v.length !== 1 && v.length !== ch) {
        throw new ShapeError(
          `${c.name} (Normalization) has ${v.length} ${what} values for ${ch} channels; give one per channel or one`,
          c.name,
        );
      }
    }
    return [...input];
  },
  params(layer, [input]) {
    const c = cfg(layer, 'Normalization');
    // Keras makes weights only for a layer that is adapted; given mean/variance are constants.
    if (c.mean !== null) return [];
    const ch = channelAxis(layer, c.axis, input);
    return [
      { name: 'mean', shape: [ch], initializer: 'zeros', trainable: false },
      { name: 'variance', shape: [ch], initializer: 'ones', trainable: false },
      { name: 'count', shape: [], initializer: 'zeros', trainable: false },
    ];
  },
};

export const rescalingSpec: LayerSpec = {
  className: 'Rescaling',
  layerClass: 'Rescaling',
  positional: ['scale', 'offset'],
  read(r) {
    const scale = r.number('scale');
    if (scale === undefined) return r.fail('needs scale, e.g. Rescaling(1.0 / 255)', 'scale');
    return { className: 'Rescaling', config: { name: '', scale, offset: r.number('offset') ?? 0 } };
  },
  config(layer) {
    const c = cfg(layer, 'Rescaling');
    return { scale: c.scale, offset: c.offset };
  },
  defaults: () => ({ offset: 0 }),
  exportPositional: 1,
  outputShape: (_layer, [input]) => [...input],
};

// Model -> JSON: Keras 3's model.to_json() form (module, registered_name, DTypePolicy, build_config) and the
// Keras 2 style topology that TF.js's tf.loadLayersModel reads (batch_input_shape on the first layer, string
// dtypes, VarianceScaling initializers, LeakyReLU/ELU layers for activations TF.js has no string for).
import { type BuiltLayer, type BuiltModel, type InitializerName, type Layer, specOf } from '../model';
import type { Json, JsonObject } from './json-layers';

const K3_DTYPE: JsonObject = {
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name: 'float32' },
  registered_name: null,
};

const pascal = (snake: string) => snake.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

function keras3Initializer(name: InitializerName): JsonObject {
  const seeded = !['zeros', 'ones'].includes(name);
  return {
    module: 'keras.initializers',
    class_name: pascal(name),
    config: seeded ? { seed: null } : {},
    registered_name: null,
  };
}

/** Keras class name and config fields (besides name/trainable/dtype) of a layer, Keras 3 spelling. */
function layerFields(layer: Layer, init: (n: InitializerName) => Json): [string, JsonObject] {
  if (layer.className === 'InputLayer') {
    return ['InputLayer', { batch_shape: [null, ...layer.config.shape] }];
  }
  const spec = specOf(layer);
  const fields: JsonObject = {};
  for (const [k, v] of Object.entries(spec.config(layer))) {
    fields[k] = k.endsWith('_initializer') && typeof v === 'string' ? init(v as InitializerName) : v;
  }
  return [spec.className, fields];
}

export function exportKerasJson(model: BuiltModel): string {
  const batchInput: Json = [null, ...model.inputShape];
  const layers: JsonObject[] = [
    {
      module: 'keras.layers',
      class_name: 'InputLayer',
      config: { batch_shape: batchInput, dtype: 'float32', sparse: false, name: 'input_layer' },
      registered_name: null,
    },
  ];
  for (const l of model.layers) {
    const [className, fields] = layerFields(l.layer, keras3Initializer);
    layers.push({
      module: 'keras.layers',
      class_name: className,
      config: { name: l.layer.config.name, trainable: true, dtype: K3_DTYPE, ...fields },
      registered_name: null,
      build_config: { input_shape: [null, ...l.inputShape] },
    });
  }
  return JSON.stringify({
    module: 'keras',
    class_name: 'Sequential',
    config: { name: model.name, trainable: true, dtype: K3_DTYPE, layers, build_input_shape: batchInput },
    registered_name: null,
    build_config: { input_shape: batchInput },
  });
}

/** TF.js serializes the glorot/he/lecun family as VarianceScaling. */
function tfjsInitializer(name: InitializerName): JsonObject {
  const vs = (scale: number, mode: string, distribution: string): JsonObject => ({
    class_name: 'VarianceScaling',
    config: { scale, mode, distribution, seed: null },
  });
  const [family, dist] = name.split('_') as [string, string];
  const distribution = dist === 'normal' ? 'truncated_normal' : 'uniform';
  if (family === 'glorot') return vs(1, 'fan_avg', distribution);
  if (family === 'he') return vs(2, 'fan_in', distribution);
  if (family === 'lecun') return vs(1, 'fan_in', distribution);
  if (name === 'random_normal')
    return { class_name: 'RandomNormal', config: { mean: 0, stddev: 0.05, seed: null } };
  if (name === 'random_uniform') {
    return { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } };
  }
  return { class_name: pascal(name), config: {} };
}

/**
 * Keras 2 style layer list for TF.js. TF.js has no 'leaky_relu' activation string, so a layer with
 * activation='leaky_relu' becomes the layer with a linear activation followed by a LeakyReLU layer (slope 0.2,
 * Keras 3's default); weights keep their names.
 */
export function tfjsTopology(model: BuiltModel): JsonObject {
  const layers: JsonObject[] = [];
  model.layers.forEach((l: BuiltLayer, i) => {
    let [className, fields] = layerFields(l.layer, tfjsInitializer);
    let extra: JsonObject | null = null;
    if (className === 'LeakyReLU') fields = { alpha: fields.negative_slope };
    if (className === 'ELU' && fields.alpha !== 1) {
      throw new Error(
        `${l.layer.config.name}: TF.js's ELU layer only supports alpha=1.0 (this one has ${fields.alpha}); ` +
          'export Keras code or JSON instead, or use alpha=1.0',
      );
    }
    if (className === 'Activation' && fields.activation === 'leaky_relu') {
      [className, fields] = ['LeakyReLU', { alpha: 0.2 }];
    }
    if (className !== 'Activation' && fields.activation === 'leaky_relu') {
      fields = { ...fields, activation: 'linear' };
      extra = {
        class_name: 'LeakyReLU',
        config: { name: `${l.layer.config.name}_leaky_relu`, trainable: true, dtype: 'float32', alpha: 0.2 },
      };
    }
    // Keras 3 fields TF.js's layers do not know.
    if (className === 'Conv2D') fields.groups = undefined as unknown as Json;
    if (className === 'BatchNormalization') fields.synchronized = undefined as unknown as Json;
    const config: JsonObject = { name: l.layer.config.name, trainable: true, dtype: 'float32', ...fields };
    if (i === 0) config.batch_input_shape = [null, ...model.inputShape];
    layers.push({ class_name: className, config: JSON.parse(JSON.stringify(config)) as JsonObject });
    if (extra) layers.push(extra);
  });
  return {
    class_name: 'Sequential',
    config: { name: model.name, layers },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

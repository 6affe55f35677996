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

function keras3Layer(l: BuiltLayer): JsonObject {
  const [className, fields] = layerFields(l.layer, keras3Initializer);
  return {
    module: 'keras.layers',
    class_name: className,
    config: { name: l.layer.config.name, trainable: true, dtype: K3_DTYPE, ...fields },
    registered_name: null,
    build_config: {
      input_shape:
        l.inputShapes.length === 1 ? [null, ...l.inputShape] : l.inputShapes.map((s) => [null, ...s]),
    },
  };
}

function keras3InputLayer(shape: number[], name: string): JsonObject {
  return {
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: { batch_shape: [null, ...shape], dtype: 'float32', sparse: false, name },
    registered_name: null,
  };
}

/** Keras 3's functional to_json(): layers with inbound_nodes of __keras_tensor__ args carrying keras_history. */
function keras3Functional(model: BuiltModel): JsonObject {
  const inputName = model.inputName ?? 'input_layer';
  const source = (j: number) =>
    j === -1
      ? { name: inputName, shape: model.inputShape }
      : { name: model.layers[j].layer.config.name, shape: model.layers[j].outputShape };
  const tensor = (j: number): JsonObject => {
    const { name, shape } = source(j);
    return {
      class_name: '__keras_tensor__',
      config: { shape: [null, ...shape], dtype: 'float32', keras_history: [name, 0, 0] },
    };
  };
  const layers: JsonObject[] = [
    { ...keras3InputLayer(model.inputShape, inputName), name: inputName, inbound_nodes: [] },
    ...model.layers.map((l) => {
      const spec = specOf(l.layer);
      const args: Json[] = spec.merge ? [l.inbound.map(tensor)] : [tensor(l.inbound[0])];
      return { ...keras3Layer(l), name: l.layer.config.name, inbound_nodes: [{ args, kwargs: {} }] };
    }),
  ];
  const output = model.layers[model.layers.length - 1].layer.config.name;
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: model.name,
      trainable: true,
      layers,
      input_layers: [[inputName, 0, 0]],
      output_layers: [[output, 0, 0]],
    },
    registered_name: 'Functional',
    build_config: { input_shape: null },
  };
}

export function exportKerasJson(model: BuiltModel): string {
  if (model.functional) return JSON.stringify(keras3Functional(model));
  const batchInput: Json = [null, ...model.inputShape];
  const layers: JsonObject[] = [
    keras3InputLayer(model.inputShape, 'input_layer'),
    ...model.layers.map(keras3Layer),
  ];
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
 * One layer in the Keras 2 style TF.js reads. TF.js has no 'leaky_relu' activation string, so a layer with
 * activation='leaky_relu' becomes the layer with a linear activation followed by a LeakyReLU layer (slope 0.2,
 * Keras 3's default), returned as `extra`; weights keep their names.
 */
function tfjsLayer(l: BuiltLayer): { layer: JsonObject; extra: JsonObject | null } {
  let [className, fields] = layerFields(l.layer, tfjsInitializer);
  let extra: JsonObject | null = null;
  if (className === 'LeakyReLU') fields = { alpha: fields.negative_slope };
  // TF.js's ReLU takes max_value only: a slope makes it a LeakyReLU.
  if (className === 'ReLU') {
    [className, fields] = fields.negative_slope
      ? ['LeakyReLU', { alpha: fields.negative_slope }]
      : ['ReLU', { max_value: fields.max_value }];
  }
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
  return {
    layer: { class_name: className, config: JSON.parse(JSON.stringify(config)) as JsonObject },
    extra,
  };
}

/** Keras 2 / TF.js functional form: inbound_nodes as [[[layer, node, tensor, kwargs], ...]]. */
function tfjsFunctional(model: BuiltModel): JsonObject {
  const inputName = model.inputName ?? 'input_layer';
  const outName: string[] = [];
  const node = (names: string[]): Json => [names.map((n) => [n, 0, 0, {}])];
  const layers: JsonObject[] = [
    {
      class_name: 'InputLayer',
      name: inputName,
      config: {
        batch_input_shape: [null, ...model.inputShape],
        dtype: 'float32',
        sparse: false,
        name: inputName,
      },
      inbound_nodes: [],
    },
  ];
  model.layers.forEach((l) => {
    const { layer, extra } = tfjsLayer(l);
    const name = l.layer.config.name;
    const inbound = l.inbound.map((j) => (j === -1 ? inputName : outName[j]));
    layers.push({ ...layer, name, inbound_nodes: node(inbound) });
    if (extra) {
      const extraName = String((extra.config as JsonObject).name);
      layers.push({ ...extra, name: extraName, inbound_nodes: node([name]) });
      outName.push(extraName);
    } else outName.push(name);
  });
  return {
    class_name: 'Model',
    config: {
      name: model.name,
      layers,
      input_layers: [[inputName, 0, 0]],
      output_layers: [[outName[outName.length - 1], 0, 0]],
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

/** The Keras 2 style topology TF.js's tf.loadLayersModel reads: Sequential, or Model for functional ones. */
export function tfjsTopology(model: BuiltModel): JsonObject {
  if (model.functional) return tfjsFunctional(model);
  const layers: JsonObject[] = [];
  model.layers.forEach((l: BuiltLayer, i) => {
    const { layer, extra } = tfjsLayer(l);
    if (i === 0) (layer.config as JsonObject).batch_input_shape = [null, ...model.inputShape];
    layers.push(layer);
    if (extra) layers.push(extra);
  });
  return {
    class_name: 'Sequential',
    config: { name: model.name, layers },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

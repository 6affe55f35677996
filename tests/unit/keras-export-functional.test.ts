// Functional models through every export and back: Keras code, Keras 3 JSON (inbound_nodes with
// keras_history), the Keras 2 / TF.js topology (nested inbound lists) and TF.js weights; and a hand-written
// Keras 2 functional to_json().
import { describe, expect, it } from 'vitest';
import {
  exportKerasCode,
  exportKerasJson,
  exportTfjsModel,
  importKerasCode,
  importKerasJson,
  importTfjsWeights,
} from '../../src/keras';
import { DEFAULT_TRAINING, initialWeights, summarize } from '../../src/model';

const CODE = `
import keras
from keras import layers

inputs = keras.Input(shape=(8, 8, 3), name="image")
x = layers.Conv2D(4, 3, padding="same", use_bias=False)(inputs)
x = layers.BatchNormalization()(x)
x = layers.LeakyReLU(0.1)(x)
y = layers.Conv2D(4, 3, padding="same", activation="leaky_relu")(x)
s = layers.Conv2D(4, 1, name="shortcut")(inputs)
x = layers.Add()([y, s, x])
z = layers.Concatenate(axis=-1)([x, s])
z = layers.GlobalAveragePooling2D()(z)
outputs = layers.Dense(3, activation="softmax")(z)
model = keras.Model(inputs, outputs, name="branches")
`;

const graph = (r: ReturnType<typeof importKerasCode>) =>
  r.built.layers.map((l) => [l.layer.config.name, l.inbound, l.outputShape, l.paramCount]);

describe('functional export round trips', () => {
  const src = importKerasCode(CODE);

  it('the source graph', () => {
    // 3*3*3*4 = 108 (no bias); BN 16; LeakyReLU 0; 3*3*4*4+4 = 148; shortcut 1*1*3*4+4 = 16; dense 8*3+3 = 27.
    expect(graph(src)).toEqual([
      ['conv2d', [-1], [8, 8, 4], 108],
      ['batch_normalization', [0], [8, 8, 4], 16],
      ['leaky_re_lu', [1], [8, 8, 4], 0],
      ['conv2d_1', [2], [8, 8, 4], 148],
      ['shortcut', [-1], [8, 8, 4], 16],
      ['add', [3, 4, 2], [8, 8, 4], 0],
      ['concatenate', [5, 4], [8, 8, 8], 0],
      ['global_average_pooling2d', [6], [8], 0],
      ['dense', [7], [3], 27],
    ]);
    const rows = summarize(src.built).rows;
    expect(rows[6].connectedTo).toBe('conv2d_1[0][0], shortcut[0][0], leaky_re_lu[0][0]');
    expect([rows[3].name, rows[3].className]).toEqual(['leaky_re_lu', 'LeakyReLU']);
  });

  it('Keras code', () => {
    const code = exportKerasCode(src.built, DEFAULT_TRAINING);
    expect(code).toContain('inputs = keras.Input(shape=(8, 8, 3), name="image")');
    expect(code).toContain('add = layers.Add()([conv2d_1, shortcut, leaky_re_lu])');
    expect(code).toContain('leaky_re_lu = layers.LeakyReLU(negative_slope=0.1)(batch_normalization)');
    expect(code).toContain('model = keras.Model(inputs=inputs, outputs=dense, name="branches")');
    const back = importKerasCode(code);
    expect(graph(back)).toEqual(graph(src));
    expect(back.built.inputName).toBe('image');
    expect(back.model.layers).toEqual(src.model.layers);
  });

  it('Keras 3 JSON', () => {
    const text = exportKerasJson(src.built);
    const j = JSON.parse(text);
    expect(j.class_name).toBe('Functional');
    expect(j.config.input_layers).toEqual([['image', 0, 0]]);
    expect(j.config.output_layers).toEqual([['dense', 0, 0]]);
    const add = j.config.layers.find((l: { name: string }) => l.name === 'add');
    const leaky = j.config.layers.find((l: { name: string }) => l.name === 'leaky_re_lu');
    expect([leaky.class_name, leaky.config.negative_slope]).toEqual(['LeakyReLU', 0.1]);
    expect(
      add.inbound_nodes[0].args[0].map((t: { config: { keras_history: unknown } }) => t.config.keras_history),
    ).toEqual([
      ['conv2d_1', 0, 0],
      ['shortcut', 0, 0],
      ['leaky_re_lu', 0, 0],
    ]);
    const back = importKerasJson(text);
    expect(graph(back)).toEqual(graph(src));
    expect(back.model.layers).toEqual(src.model.layers);
  });

  it('TF.js topology and weights (a LeakyReLU layer after conv2d_1 for its leaky_relu activation)', () => {
    const weights = initialWeights(src.built, 5);
    const { modelJson, weightsBin } = exportTfjsModel(src.built, weights);
    const topo = JSON.parse(modelJson).modelTopology;
    expect(topo.class_name).toBe('Model');
    const add = topo.config.layers.find((l: { name: string }) => l.name === 'add');
    expect(add.inbound_nodes).toEqual([
      [
        ['conv2d_1_leaky_relu', 0, 0, {}],
        ['shortcut', 0, 0, {}],
        ['leaky_re_lu', 0, 0, {}],
      ],
    ]);
    const back = importKerasJson(modelJson);
    expect(back.built.paramCount).toBe(src.built.paramCount);
    expect(back.built.layers.length).toBe(src.built.layers.length + 1);
    const w = importTfjsWeights(modelJson, weightsBin);
    expect(w.map((x) => x.name)).toEqual(weights.map((x) => x.name));
  });
});

describe('Keras 2 functional to_json()', () => {
  // tf.keras 2.x writes class_name Functional, layers with name and inbound_nodes [[[layer, 0, 0, {}]]].
  const keras2 = {
    class_name: 'Functional',
    config: {
      name: 'model',
      layers: [
        {
          class_name: 'InputLayer',
          config: {
            batch_input_shape: [null, 6],
            dtype: 'float32',
            sparse: false,
            ragged: false,
            name: 'input_1',
          },
          name: 'input_1',
          inbound_nodes: [],
        },
        {
          class_name: 'Dense',
          config: {
            name: 'dense',
            trainable: true,
            dtype: 'float32',
            units: 4,
            activation: 'relu',
            use_bias: true,
          },
          name: 'dense',
          inbound_nodes: [[['input_1', 0, 0, {}]]],
        },
        {
          class_name: 'Dense',
          config: { name: 'dense_1', trainable: true, dtype: 'float32', units: 4, activation: 'linear' },
          name: 'dense_1',
          inbound_nodes: [[['input_1', 0, 0, {}]]],
        },
        {
          class_name: 'Multiply',
          config: { name: 'multiply', trainable: true, dtype: 'float32' },
          name: 'multiply',
          inbound_nodes: [
            [
              ['dense', 0, 0, {}],
              ['dense_1', 0, 0, {}],
            ],
          ],
        },
        {
          class_name: 'Dense',
          config: { name: 'dense_2', trainable: true, dtype: 'float32', units: 2, activation: 'softmax' },
          name: 'dense_2',
          inbound_nodes: [[['multiply', 0, 0, {}]]],
        },
      ],
      input_layers: [['input_1', 0, 0]],
      output_layers: [['dense_2', 0, 0]],
    },
    keras_version: '2.13.1',
    backend: 'tensorflow',
  };

  it('reads the graph, names and parameters (6*4+4 twice, 4*2+2)', () => {
    const r = importKerasJson(JSON.stringify(keras2));
    expect(r.built.inputName).toBe('input_1');
    expect(r.built.layers.map((l) => [l.layer.config.name, l.inbound, l.paramCount])).toEqual([
      ['dense', [-1], 28],
      ['dense_1', [-1], 28],
      ['multiply', [0, 1], 0],
      ['dense_2', [2], 10],
    ]);
    expect(r.built.paramCount).toBe(66);
  });

  it('refuses a shared layer and two outputs', () => {
    const shared = structuredClone(keras2);
    (shared.config.layers[1].inbound_nodes as unknown[]).push([['input_1', 0, 0, {}]]);
    expect(() => importKerasJson(JSON.stringify(shared))).toThrow(
      "layer 2 'dense' (Dense) is called 2 times; shared layers (one set of weights used in two places) are not " +
        'supported yet: save the model with a layer per call',
    );
    const two = structuredClone(keras2) as { config: { output_layers: unknown[] } };
    two.config.output_layers = [
      ['dense_2', 0, 0],
      ['dense_1', 0, 0],
    ];
    expect(() => importKerasJson(JSON.stringify(two))).toThrow(
      'the model has 2 outputs; Paperweight builds models with one input and one output',
    );
  });
});

// Keras JSON import: hand-written to_json() fixtures of Keras 2 (incl. the legacy list form) and Keras 3
// (module / registered_name / DTypePolicy / build_config), and a TF.js model.json, all of the paper LeNet-5.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importKerasCode, importKerasJson } from '../../src/keras';
import type { Layer } from '../../src/model';
import { importRefusal } from '../helpers/keras';

const fixture = (f: string) => readFileSync(join(__dirname, '../fixtures/keras/json', f), 'utf8');
const paperCode = readFileSync(join(__dirname, '../fixtures/keras/snippets/01-lenet-paper.py'), 'utf8');
const unnamed = (layers: Layer[]) => layers.map((l) => ({ ...l, config: { ...l.config, name: '' } }));

describe('Keras JSON import: the paper LeNet-5 in every form', () => {
  const expected = importKerasCode(paperCode).model;
  for (const f of [
    'keras2-lenet.json',
    'keras2-legacy-lenet.json',
    'keras3-lenet.json',
    'tfjs-lenet-model.json',
  ]) {
    it(`${f}: 51,902 params, the same layers as the paper code`, () => {
      const r = importKerasJson(fixture(f));
      expect(r.built.paramCount).toBe(51902);
      expect(r.built.inputShape).toEqual([32, 32, 1]);
      expect(unnamed(r.model.layers)).toEqual(unnamed(expected.layers));
      expect(r.warnings).toEqual([]);
    });
  }

  it('keeps the names written in the JSON (Keras 2.0 named layers from 1)', () => {
    expect(importKerasJson(fixture('keras3-lenet.json')).model.layers.map((l) => l.config.name)).toEqual(
      expected.layers.map((l) => l.config.name),
    );
    expect(
      importKerasJson(fixture('keras2-legacy-lenet.json')).model.layers.map((l) => l.config.name),
    ).toEqual([
      'conv2d_1',
      'max_pooling2d_1',
      'conv2d_2',
      'max_pooling2d_2',
      'flatten_1',
      'dense_1',
      'dropout_1',
      'dense_2',
    ]);
  });

  it('reads Keras 3 compile_config and Keras 2 / TF.js training_config', () => {
    expect(importKerasJson(fixture('keras3-lenet.json')).training).toEqual({
      optimizer: { name: 'adam', learning_rate: 0.0005, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    expect(importKerasJson(fixture('tfjs-lenet-model.json')).training).toEqual({
      optimizer: { name: 'sgd', learning_rate: 0.05, momentum: 0.9, nesterov: true },
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
    });
  });
});

const seq = (layers: object[], extra: object = {}) =>
  JSON.stringify({ class_name: 'Sequential', config: { name: 'm', layers }, ...extra });
const input = { class_name: 'InputLayer', config: { batch_input_shape: [null, 8, 8, 2] } };

describe('Keras JSON import: layer forms and refusals', () => {
  it('LeakyReLU (Keras 2 alpha, Keras 3 negative_slope), ReLU, Softmax, ELU, ZeroPadding2D, GAP', () => {
    const r = importKerasJson(
      seq([
        input,
        {
          class_name: 'ZeroPadding2D',
          config: {
            padding: [
              [1, 0],
              [2, 1],
            ],
          },
        },
        { class_name: 'LeakyReLU', config: { alpha: 0.1 } },
        { class_name: 'LeakyReLU', config: { negative_slope: 0.05 } },
        { class_name: 'ReLU', config: { max_value: null, negative_slope: 0, threshold: 0 } },
        { class_name: 'ELU', config: { alpha: 0.7 } },
        { class_name: 'GlobalAveragePooling2D', config: { data_format: 'channels_last', keepdims: false } },
        { class_name: 'Softmax', config: { axis: -1 } },
      ]),
    );
    expect(r.built.layers.map((l) => [l.layer.className, l.outputShape])).toEqual([
      ['ZeroPadding2D', [9, 11, 2]],
      ['Activation', [9, 11, 2]],
      ['Activation', [9, 11, 2]],
      ['Activation', [9, 11, 2]],
      ['Activation', [9, 11, 2]],
      ['GlobalAveragePooling2D', [2]],
      ['Activation', [2]],
    ]);
    expect(r.model.layers.slice(1).map((l) => l.config)).toEqual([
      { name: 'leaky_re_lu', activation: 'leaky_relu', alpha: 0.1, form: 'LeakyReLU' },
      { name: 'leaky_re_lu_1', activation: 'leaky_relu', alpha: 0.05, form: 'LeakyReLU' },
      { name: 're_lu', activation: 'relu', form: 'ReLU' },
      { name: 'elu', activation: 'elu', alpha: 0.7, form: 'ELU' },
      { name: 'global_average_pooling2d', ...{} },
      { name: 'softmax', activation: 'softmax', form: 'Softmax' },
    ]);
  });

  it('TF.js VarianceScaling initializers map back to Keras names', () => {
    const r = importKerasJson(
      seq([
        input,
        { class_name: 'Flatten', config: {} },
        {
          class_name: 'Dense',
          config: {
            units: 3,
            kernel_initializer: {
              class_name: 'VarianceScaling',
              config: { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
            },
            bias_initializer: { class_name: 'Ones', config: {} },
          },
        },
      ]),
    );
    const d = r.model.layers[1];
    expect(d.className === 'Dense' && [d.config.kernel_initializer, d.config.bias_initializer]).toEqual([
      'he_normal',
      'ones',
    ]);
  });

  const refuse = (
    text: string,
    message: string,
    line: number | null = null,
    column: number | null = null,
  ) => {
    const k = importRefusal(() => importKerasJson(text));
    expect([k.message, k.line, k.column]).toEqual([message, line, column]);
  };

  it('refuses unsupported layers by name, never as another layer', () => {
    refuse(
      seq([input, { class_name: 'Conv3D', config: { name: 'conv3d', filters: 2 } }]),
      "layer 2 'conv3d' (Conv3D): 'Conv3D' is not supported; did you mean 'Conv2D'?",
    );
    // Unknown classes used to fall through to ELU.
    refuse(
      seq([input, { class_name: 'PReLU', config: { name: 'p_re_lu' } }]),
      "layer 2 'p_re_lu' (PReLU): 'PReLU' is not supported; did you mean 'ReLU'?",
    );
    expect(() => importKerasJson(seq([input, { class_name: 'MyCustomBlock', config: {} }]))).toThrow(
      /^layer 2 \(MyCustomBlock\): 'MyCustomBlock' is not supported; the nearest supported layer is '\w+' \(supported: Conv2D, /,
    );
  });

  it('refuses channels_first, dilation and non-Sequential models', () => {
    refuse(
      seq([
        input,
        {
          class_name: 'Conv2D',
          config: { name: 'c', filters: 2, kernel_size: [3, 3], data_format: 'channels_first' },
        },
      ]),
      'layer 2 \'c\' (Conv2D): data_format="channels_first" is not supported; Paperweight is channels_last ' +
        '(NHWC): remove data_format and give input_shape as (height, width, channels)',
    );
    refuse(
      seq([
        input,
        {
          class_name: 'Conv2D',
          config: { name: 'c', filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2] },
        },
      ]),
      "layer 2 'c' (Conv2D): dilation_rate=[2,2] is not supported; Paperweight has no dilated convolutions; " +
        'remove dilation_rate',
    );
    refuse(
      JSON.stringify({ class_name: 'ResNetBlockModel', config: { layers: [] } }),
      'the model is a ResNetBlockModel model; Paperweight imports Sequential models (build it with keras.Sequential([...]) and save that)',
    );
  });

  it('invalid JSON is reported at its line and column', () => {
    // Line 2 is `  "config": }`: the bad token '}' is its 13th character.
    refuse(
      '{"class_name": "Sequential",\n  "config": }',
      "line 2, column 13: not valid JSON: unexpected '}'",
      2,
      13,
    );
    refuse('{"a": [1, 2,]}', "line 1, column 13: not valid JSON: unexpected ']'", 1, 13);
    refuse('{"a": 1', 'line 1, column 8: not valid JSON: the text ends too early', 1, 8);
  });

  it('a missing input shape is refused with the fix', () => {
    refuse(
      seq([{ class_name: 'Dense', config: { units: 3 } }]),
      'the model has no input shape; give the first layer input_shape=(h, w, c), or start with keras.Input(shape=...)',
    );
  });
});

describe('Keras JSON import: activation objects', () => {
  const dense = (activation: unknown) =>
    seq([
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 4] } },
      { class_name: 'Dense', config: { name: 'd', units: 2, activation } },
    ]);
  it('a layer object computing a named activation becomes it; others are refused with the fix', () => {
    const leaky = { module: 'keras.layers', class_name: 'LeakyReLU', config: { negative_slope: 0.2 } };
    const d = importKerasJson(dense(leaky)).model.layers[0];
    expect(d.className === 'Dense' && d.config.activation).toBe('leaky_relu');
    const relu6 = { module: 'keras.layers', class_name: 'ReLU', config: { max_value: 6, negative_slope: 0 } };
    const d6 = importKerasJson(dense(relu6)).model.layers[0];
    expect(d6.className === 'Dense' && d6.config.activation).toBe('relu6');
    expect(() =>
      importKerasJson(
        dense({ module: 'keras.layers', class_name: 'LeakyReLU', config: { negative_slope: 0.1 } }),
      ),
    ).toThrow(
      /^layer 2 'd' \(Dense\): activation .* is not supported; use a linear activation and add the activation as its own layer after this one$/,
    );
  });
});

// The functional API: keras.Input, layers called on tensors, merges, keras.Model(inputs, outputs); the DAG
// in Keras's layer order with inbound indices, summaries with "Connected to", and refusals.
import { describe, expect, it } from 'vitest';
import { importKerasCode, KerasImportError } from '../../src/keras';
import { summarize, summaryText } from '../../src/model';

const conv = (k: number, cin: number, f: number) => k * k * cin * f + f;
const bn = (c: number) => 4 * c;

const RESIDUAL = `
import keras
from keras import layers

inputs = keras.Input(shape=(8, 8, 3))
x = layers.Conv2D(4, 3, padding="same")(inputs)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
shortcut = x
y = layers.Conv2D(4, 3, padding="same")(x)
y = layers.BatchNormalization()(y)
x = layers.Add()([y, shortcut])
x = layers.Activation("relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="tiny_resnet")
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
`;

describe('functional API: code import', () => {
  it('a residual block: DAG order, inbound indices, shapes and Keras parameter counts', () => {
    const r = importKerasCode(RESIDUAL);
    const b = r.built;
    expect(b.name).toBe('tiny_resnet');
    expect(b.functional).toBe(true);
    expect(b.layers.map((l) => [l.layer.config.name, l.inbound])).toEqual([
      ['conv2d', [-1]],
      ['batch_normalization', [0]],
      ['activation', [1]],
      ['conv2d_1', [2]],
      ['batch_normalization_1', [3]],
      ['add', [4, 2]],
      ['activation_1', [5]],
      ['global_average_pooling2d', [6]],
      ['dense', [7]],
    ]);
    expect(b.layers[5].inputShapes).toEqual([
      [8, 8, 4],
      [8, 8, 4],
    ]);
    // conv 3x3x3x4+4 = 112, BN 4*4 = 16 (8 of them moving statistics), conv 3x3x4x4+4 = 148, BN 16, dense 4*10+10.
    const total = conv(3, 3, 4) + bn(4) + conv(3, 4, 4) + bn(4) + (4 * 10 + 10);
    expect(total).toBe(342);
    expect(b.paramCount).toBe(total);
    const s = summarize(b);
    expect(s.nonTrainableParams).toBe(16);
    expect(s.trainableParams).toBe(326);
    expect(s.connected).toBe(true);
    expect(s.rows.map((row) => [row.name, row.className, row.connectedTo])).toEqual([
      ['input_layer', 'InputLayer', '-'],
      ['conv2d', 'Conv2D', 'input_layer[0][0]'],
      ['batch_normalization', 'BatchNormalization', 'conv2d[0][0]'],
      ['activation', 'Activation', 'batch_normalization[0][0]'],
      ['conv2d_1', 'Conv2D', 'activation[0][0]'],
      ['batch_normalization_1', 'BatchNormalization', 'conv2d_1[0][0]'],
      ['add', 'Add', 'batch_normalization_1[0][0], activation[0][0]'],
      ['activation_1', 'Activation', 'add[0][0]'],
      ['global_average_pooling2d', 'GlobalAveragePooling2D', 'activation_1[0][0]'],
      ['dense', 'Dense', 'global_average_pooling2d[0][0]'],
    ]);
    const text = summaryText(s);
    expect(text).toContain('┃ Layer (type)');
    expect(text).toContain('Connected to');
    expect(text).toContain('Non-trainable params: 16 (64.00 B)');
    expect(r.training).toMatchObject({ loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  });
});

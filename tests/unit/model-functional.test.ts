// The functional API: keras.Input, layers called on tensors, merges, keras.Model(inputs, outputs); the DAG
// in Keras's layer order with inbound indices, summaries with "Connected to", and refusals.
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { summarize, summaryText } from '../../src/model';
import { codeRefusal, expectCodeRefusedAt } from '../helpers/keras';

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

describe('functional API: forms people write', () => {
  it('layer objects, nested calls, lowercase merges, helper functions and a projection shortcut', () => {
    const r = importKerasCode(`
from tensorflow.keras.layers import Input, Conv2D, BatchNormalization, ReLU, Flatten, Dense, concatenate, add
from tensorflow.keras.models import Model

def block(t, filters, stride=1):
    y = Conv2D(filters, 3, strides=stride, padding='same', use_bias=False)(t)
    y = BatchNormalization()(y)
    y = ReLU()(y)
    y = Conv2D(filters, 3, padding='same', use_bias=False)(y)
    y = BatchNormalization()(y)
    s = Conv2D(filters, 1, strides=stride, use_bias=False)(t)
    return ReLU()(add([y, s]))

inp = Input((16, 16, 3), name='img')
stem = Conv2D(8, 3, padding='same')
x = stem(inp)
x = block(x, 16, stride=2)
z = concatenate([x, x], axis=-1)
out = Dense(10, activation='softmax')(Flatten()(z))
model = Model(inp, out)
`);
    const b = r.built;
    expect(b.inputName).toBe('img');
    expect(b.name).toBe('functional');
    // Keras's order: by depth from the output, then by first visit (the main branch before the shortcut).
    expect(b.layers.map((l) => [l.layer.config.name, l.inbound, l.outputShape])).toEqual([
      ['conv2d', [-1], [16, 16, 8]],
      ['conv2d_1', [0], [8, 8, 16]],
      ['batch_normalization', [1], [8, 8, 16]],
      ['re_lu', [2], [8, 8, 16]],
      ['conv2d_2', [3], [8, 8, 16]],
      ['batch_normalization_1', [4], [8, 8, 16]],
      ['conv2d_3', [0], [8, 8, 16]],
      ['add', [5, 6], [8, 8, 16]],
      ['re_lu_1', [7], [8, 8, 16]],
      ['concatenate', [8, 8], [8, 8, 32]],
      ['flatten', [9], [2048]],
      ['dense', [10], [10]],
    ]);
    // 3*3*3*8+8, 3*3*8*16 (no bias), BN 4*16, 3*3*16*16, BN 4*16, 1*1*8*16, dense 2048*10+10.
    expect(b.paramCount).toBe(224 + 1152 + 64 + 2304 + 64 + 128 + 20490);
    expect(summarize(b).nonTrainableParams).toBe(2 * 2 * 16);
  });

  it('refuses a shared layer, two inputs, a loop and a call on something that is not a tensor', () => {
    let e = codeRefusal(
      'inputs = keras.Input(shape=(4,))\nd = layers.Dense(4)\nx = d(inputs)\ny = d(x)\nmodel = keras.Model(inputs, y)',
    );
    expect([e.line, e.column]).toEqual([4, 5]);
    expect(e.message).toBe(
      'line 4, column 5: layer dense is called twice; shared layers (one set of weights used in two places) are ' +
        'not supported yet: make a second layer for the second call',
    );
    e = codeRefusal(
      'a = keras.Input(shape=(4,))\nb = keras.Input(shape=(4,))\nx = layers.Add()([a, b])\nmodel = keras.Model([a, b], x)',
    );
    expect(e.message).toContain(
      'the model has 2 inputs; Paperweight builds models with one input and one output',
    );
    e = codeRefusal(
      'x = inputs = keras.Input(shape=(4,))\nfor units in layer_sizes():\n    x = layers.Dense(units)(x)\nmodel = keras.Model(inputs, x)',
    );
    expect([e.line, e.column]).toEqual([3, 9]);
    expect(e.message).toContain('layers made in a loop over what only running the code gives cannot be read');
    e = codeRefusal(
      'inputs = keras.Input(shape=(4,))\nx = layers.Dense(4)(features)\nmodel = keras.Model(inputs, x)',
    );
    expect(e.message).toContain("dense (Dense) is called on 'features', which is not a tensor");
  });

  it('a shape mismatch in a merge names the layer at its line', () => {
    const e = codeRefusal(
      'inputs = keras.Input(shape=(8,))\na = layers.Dense(4)(inputs)\nb = layers.Dense(5)(inputs)\n' +
        'x = layers.Add()([a, b])\nmodel = keras.Model(inputs, x)',
    );
    expect([e.line, e.column]).toEqual([4, 5]);
    expect(e.message).toContain('add (Add) needs inputs of one shape and gets (4) and (5)');
  });
});

describe('functional API: Keras tutorial forms', () => {
  it('a Sequential augmentation block called on the input joins the graph layer by layer', () => {
    const r = importKerasCode(`
data_augmentation = keras.Sequential(
    [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)]
)
inputs = keras.Input(shape=(32, 32, 3))
x = data_augmentation(inputs)
x = layers.Rescaling(1.0 / 255)(x)
x = layers.SeparableConv2D(8, 3, padding="same")(x)
x = layers.GlobalMaxPooling2D()(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
`);
    expect(r.built.layers.map((l) => [l.layer.className, l.inbound])).toEqual([
      ['RandomFlip', [-1]],
      ['RandomRotation', [0]],
      ['Rescaling', [1]],
      ['SeparableConv2D', [2]],
      ['GlobalMaxPooling2D', [3]],
      ['Dense', [4]],
    ]);
    // Separable: 3*3*3 depthwise + 3*8 pointwise + 8 bias = 59; dense 8 + 1.
    expect(r.built.paramCount).toBe(59 + 9);
    expect(r.warnings).toEqual([
      "line 6: data_augmentation(...) is a Sequential model called on a tensor: its layers are read into this model one by one (Keras's summary shows them as one row)",
    ]);
    // A chain: Keras prints it without the "Connected to" column, with the input layer first.
    const s = summarize(r.built);
    expect(s.connected).toBe(false);
    expect(s.rows[0]).toEqual({
      name: 'input_layer',
      className: 'InputLayer',
      outputShape: '(None, 32, 32, 3)',
      params: 0,
    });
  });
});

describe('functional API: ResNet-20 written with helper functions, loops and conditions', () => {
  // The style of Keras's classic CIFAR-10 ResNet example: a conv-BN-activation helper with flags, two loops,
  // a stride chosen by an if, a projection shortcut only where the shape changes, num_filters *= 2.
  const RESNET20 = `
import keras
from keras.layers import Input, Conv2D, BatchNormalization, Activation, AveragePooling2D, Flatten, Dense
from keras.regularizers import l2
from keras.models import Model

n = 3
depth = n * 6 + 2

def conv_bn(inputs, num_filters=16, kernel_size=3, strides=1, activation='relu', batch_normalization=True):
    conv = Conv2D(num_filters, kernel_size=kernel_size, strides=strides, padding='same',
                  kernel_initializer='he_normal', kernel_regularizer=l2(1e-4))
    x = conv(inputs)
    if batch_normalization:
        x = BatchNormalization()(x)
    if activation is not None:
        x = Activation(activation)(x)
    return x

def resnet(input_shape, depth, num_classes=10):
    num_filters = 16
    num_res_blocks = int((depth - 2) / 6)
    inputs = Input(shape=input_shape)
    x = conv_bn(inputs=inputs)
    for stack in range(3):
        for res_block in range(num_res_blocks):
            strides = 1
            if stack > 0 and res_block == 0:
                strides = 2
            y = conv_bn(inputs=x, num_filters=num_filters, strides=strides)
            y = conv_bn(inputs=y, num_filters=num_filters, activation=None)
            if stack > 0 and res_block == 0:
                x = conv_bn(inputs=x, num_filters=num_filters, kernel_size=1, strides=strides,
                            activation=None, batch_normalization=False)
            x = keras.layers.add([x, y])
            x = Activation('relu')(x)
        num_filters *= 2
    x = AveragePooling2D(pool_size=8)(x)
    y = Flatten()(x)
    outputs = Dense(num_classes, activation='softmax', kernel_initializer='he_normal')(y)
    return Model(inputs=inputs, outputs=outputs)

model = resnet(input_shape=(32, 32, 3), depth=depth)
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
`;

  it('274,442 parameters, 1,376 non-trainable, as He et al. and Keras count them', () => {
    const r = importKerasCode(RESNET20);
    // Stem conv 3*3*3*16+16 and BN; stack 1: 3 blocks of two (3*3*16*16+16 + BN 64); stack 2: the first block
    // 3*3*16*32+32, 3*3*32*32+32, shortcut 1*1*16*32+32, then two of 2*(3*3*32*32+32 + 128); stack 3 alike at
    // 64 filters; dense 64*10+10.
    const stem = 448 + 64;
    const stack1 = 3 * 2 * (2320 + 64);
    const stack2 = 4640 + 128 + 9248 + 128 + 544 + 2 * 2 * (9248 + 128);
    const stack3 = 18496 + 256 + 36928 + 256 + 2112 + 2 * 2 * (36928 + 256);
    expect(stem + stack1 + stack2 + stack3 + 650).toBe(274442);
    expect(r.built.paramCount).toBe(274442);
    // BN channels: 16 + 6*16 + 6*32 + 6*64 = 688, two moving statistics each.
    expect(summarize(r.built).nonTrainableParams).toBe(1376);
    const count = (c: string) => r.built.layers.filter((l) => l.layer.className === c).length;
    expect([count('Conv2D'), count('BatchNormalization'), count('Add'), count('Dense')]).toEqual([
      21, 19, 9, 1,
    ]);
    expect(r.built.layers[r.built.layers.length - 1].outputShape).toEqual([10]);
    expect(r.training.loss).toBe('categorical_crossentropy');
    expect(r.warnings).toEqual([expect.stringMatching(/kernel_regularizer=l2\(1e-4\) is ignored/)]);
  });
});

describe('functional API: what is not a layer call is named', () => {
  it('a TensorFlow op or a pretrained application on a tensor, with where it came from', () => {
    expectCodeRefusedAt(
      'inputs = keras.Input(shape=(4,))\nx = tf.nn.relu(inputs)\ny = layers.Dense(2)(x)\nmodel = keras.Model(inputs, y)',
      [3, 21],
      "dense (Dense) is called on 'x', which is not a tensor",
      "('x' is tf.nn.relu(inputs) at line 2: not a Keras layer call",
    );
    const e = codeRefusal(
      'base = keras.applications.MobileNetV2(include_top=False)\ninputs = keras.Input(shape=(96, 96, 3))\n' +
        'x = base(inputs)\nmodel = keras.Model(inputs, x)',
    );
    expect(e.message).toContain("cannot read the output 'x' as a tensor");
    expect(e.message).toContain(
      "('x' is base(inputs) at line 3: not a Keras layer call, but a TensorFlow op, a pretrained",
    );
  });
});

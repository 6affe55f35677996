// What the code importer reads besides layer shapes: compile / fit settings, layer options, names and the
// warnings for arguments it ignores.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { LENET_KERAS_NAMES } from './lenet-names';

const load = (f: string) => readFileSync(join(__dirname, '../fixtures/keras/snippets', f), 'utf8');

const PAPER = load('01-lenet-paper.py');

describe('Keras code import: the paper-figure LeNet-5', () => {
  it('exactly as issue 2 writes it: 8 layers, 51,902 params, Keras names', () => {
    const r = importKerasCode(PAPER);
    expect(r.built.paramCount).toBe(51902);
    expect(r.built.layers.map((l) => l.layer.config.name)).toEqual(LENET_KERAS_NAMES);
    expect(r.model.layers[0]).toEqual({
      className: 'Conv2D',
      config: {
        name: 'conv2d',
        filters: 6,
        kernel_size: [5, 5],
        strides: [1, 1],
        padding: 'valid',
        activation: 'relu',
        use_bias: true,
        kernel_initializer: 'glorot_uniform',
        bias_initializer: 'zeros',
      },
    });
    expect(r.model.layers[6]).toEqual({
      className: 'Dropout',
      config: { name: 'dropout', rate: 0.5, seed: null },
    });
    expect(r.training).toEqual({});
    expect(r.warnings).toEqual([]);
  });

  it('with imports, Chinese comments, compile and fit: same model, training filled', () => {
    const r = importKerasCode(load('02-lenet-paper-commented.py'));
    expect(r.model.layers).toEqual(importKerasCode(PAPER).model.layers);
    expect(r.training).toEqual({
      optimizer: { name: 'adam', learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
      batch_size: 128,
      epochs: 10,
      validation_split: 0.2,
    });
  });

  it('with Windows line ends and a trailing comment on every line', () => {
    const text = PAPER.split('\n')
      .map((l) => (l ? `${l}  # 注释` : l))
      .join('\r\n');
    expect(importKerasCode(text).built.paramCount).toBe(51902);
  });
});

describe('Keras code import: training settings', () => {
  it('SGD(0.01, momentum=0.9) positional learning rate, categorical loss', () => {
    const t = importKerasCode(load('03-lenet-classic-tanh.py')).training;
    expect(t.optimizer).toEqual({ name: 'sgd', learning_rate: 0.01, momentum: 0.9, nesterov: false });
    expect(t.loss).toBe('categorical_crossentropy');
  });

  it('optimizer and loss held in variables; fit(batch_size=batch_size) through constants', () => {
    const t = importKerasCode(load('07-keras3-mnist-convnet.py')).training;
    expect(t).toMatchObject({
      batch_size: 128,
      epochs: 15,
      validation_split: 0.1,
      loss: 'categorical_crossentropy',
    });
    const t9 = importKerasCode(load('09-keras2-cifar10-cnn.py'));
    expect(t9.training.optimizer).toMatchObject({ name: 'rmsprop', learning_rate: 0.0001, rho: 0.9 });
    expect(t9.warnings).toEqual([
      "line 30: RMSprop: decay=1e-6 is ignored (not in Paperweight's optimizers)",
    ]);
  });

  it('loss objects and functions, from_logits warned about, validation_data replaced', () => {
    const r = importKerasCode(load('05-tf-cifar-tutorial.py'));
    expect(r.training.loss).toBe('sparse_categorical_crossentropy');
    expect(r.training.from_logits).toBe(true);
    expect(r.training.epochs).toBe(10);
    expect(r.warnings).toEqual([
      'line 23: fit: validation_data is replaced by a validation split of the dataset you load',
    ]);
    const r18 = importKerasCode(load('18-tf-nn-activations.py'));
    expect(r18.training).toEqual({
      optimizer: { name: 'adam', learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
      epochs: 200,
      batch_size: 4,
    });
    expect(r18.model.layers.map((l) => (l.className === 'Dense' ? l.config.activation : ''))).toEqual([
      'relu',
      'softmax',
    ]);
  });

  it('RMSprop(learning_rate, rho) and positional fit(x, y, batch_size, epochs)', () => {
    const t = importKerasCode(load('24-rmsprop-positional-fit.py')).training;
    expect(t).toEqual({
      optimizer: {
        name: 'rmsprop',
        learning_rate: 0.0005,
        rho: 0.95,
        momentum: 0,
        epsilon: 1e-7,
        centered: false,
      },
      loss: 'categorical_crossentropy',
      batch_size: 32,
      epochs: 20,
      validation_split: 0.25,
    });
  });

  it('SGD with nesterov inside with/if blocks; Adam(learning_rate=CONST)', () => {
    expect(importKerasCode(load('26-scopes.py')).training).toEqual({
      optimizer: { name: 'sgd', learning_rate: 0.1, momentum: 0.5, nesterov: true },
      loss: 'sparse_categorical_crossentropy',
      epochs: 2,
    });
    expect(importKerasCode(load('19-constants-arithmetic.py')).training.optimizer?.learning_rate).toBe(5e-4);
    expect(importKerasCode(load('11-build-function.py')).training).toMatchObject({
      optimizer: { name: 'adam', learning_rate: 1e-3 },
      batch_size: 32,
      epochs: 3,
      validation_split: 0.15,
    });
  });

  it('unsupported optimizer and loss: warned, defaults kept', () => {
    const r = importKerasCode(
      "model.add(Dense(3, input_shape=(4,), activation='relu'))\nmodel.add(Dense(3))\n" +
        "model.compile(optimizer=Adagrad(0.1), loss='mse')",
    );
    expect(r.training).toEqual({ loss: 'mean_squared_error' });
    expect(r.warnings).toEqual([
      'line 3: optimizer Adagrad is not supported (use Adam, SGD or RMSprop); using Adam',
    ]);
    const hinge = importKerasCode("model.add(Dense(3, input_shape=(4,)))\nmodel.compile(loss='hinge')");
    expect(hinge.warnings).toEqual([
      "line 2: loss 'hinge' is not supported (use 'sparse_categorical_crossentropy', 'categorical_crossentropy', " +
        "'binary_crossentropy' or 'mean_squared_error'); using sparse_categorical_crossentropy",
    ]);
  });
});

describe('Keras code import: layer options and names', () => {
  it('LeakyReLU(alpha=), ReLU(), Softmax() run as Activation layers under their own Keras class and name', () => {
    const acts = importKerasCode(load('12-activation-layers.py'))
      .model.layers.filter((l) => l.className === 'Activation')
      .map((l) => l.config);
    expect(acts).toEqual([
      { name: 'leaky_re_lu', activation: 'leaky_relu', alpha: 0.1, form: 'LeakyReLU' },
      { name: 're_lu', activation: 'relu', form: 'ReLU' },
      { name: 'softmax', activation: 'softmax', form: 'Softmax' },
    ]);
    const k3 = importKerasCode(
      'model.add(Dense(3, input_shape=(4,)))\nmodel.add(LeakyReLU(negative_slope=0.02))',
    );
    expect(k3.model.layers[1].config).toEqual({
      name: 'leaky_re_lu',
      activation: 'leaky_relu',
      alpha: 0.02,
      form: 'LeakyReLU',
    });
    const dflt = importKerasCode('model.add(Dense(3, input_shape=(4,)))\nmodel.add(LeakyReLU())');
    expect(dflt.model.layers[1].config).toEqual({
      name: 'leaky_re_lu',
      activation: 'leaky_relu',
      alpha: 0.3,
      form: 'LeakyReLU',
    });
  });

  it('model and layer names, ELU(alpha)', () => {
    const r = importKerasCode(load('25-named-elu.py'));
    expect(r.model.name).toBe('my_net');
    expect(r.built.name).toBe('my_net');
    expect(r.model.layers.map((l) => l.config.name)).toEqual(['hidden', 'elu', 'out']);
    expect(r.model.layers[1].config).toEqual({ name: 'elu', activation: 'elu', alpha: 0.5, form: 'ELU' });
    expect(r.training.optimizer?.name).toBe('adam');
  });

  it('initializers as strings and as objects; regularizers warned about and ignored', () => {
    const r = importKerasCode(load('20-regularizers.py'));
    const d = r.model.layers[0];
    expect(d.className === 'Dense' && d.config.kernel_initializer).toBe('he_normal');
    expect(r.warnings).toEqual([
      'line 6: Dense: kernel_regularizer=regularizers.l2(1e-4) is ignored (Paperweight trains without ' +
        'regularizers and constraints)',
    ]);
    expect(r.training.loss).toBe('binary_crossentropy');
    const r29 = importKerasCode(load('29-sequential-kwarg-list.py'));
    expect(r29.model.name).toBe('digits_mlp');
    expect(
      r29.model.layers.map((l) =>
        l.className === 'Dense' ? [l.config.kernel_initializer, l.config.use_bias] : null,
      ),
    ).toEqual([null, ['he_normal', true], null, ['glorot_uniform', false]]);
    expect(r29.warnings).toEqual([]);
  });

  it('of two models, the one compiled and fitted is imported, with a note', () => {
    const r = importKerasCode(load('30-two-models.py'));
    expect(r.built.layers.map((l) => l.outputShape)).toEqual([[16], [3]]);
    expect(r.warnings).toEqual(['found 2 models; imported the one at line 7']);
  });

  it('input_shape on a later layer is ignored as Keras ignores it', () => {
    const r = importKerasCode('model.add(Dense(3, input_shape=(4,)))\nmodel.add(Dense(2, input_shape=(9,)))');
    expect(r.built.inputShape).toEqual([4]);
    expect(r.warnings).toEqual([
      'line 2: input_shape on a layer that is not the first one is ignored (as Keras does)',
    ]);
  });
});

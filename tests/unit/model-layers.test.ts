// The layers beyond LeNet: output shapes and weights worked out by hand here, non-trainable counts as Keras
// counts them, and every one read back from our own code, Keras 3 JSON and TF.js exports unchanged.
import { describe, expect, it } from 'vitest';
import {
  exportKerasCode,
  exportKerasJson,
  exportTfjsModel,
  importKerasCode,
  importKerasJson,
  KerasImportError,
} from '../../src/keras';
import { DEFAULT_TRAINING, initialWeights, summarize } from '../../src/model';

/** The built layers of `layers` after keras.Input(shape). */
const seq = (shape: string, ...layers: string[]) =>
  importKerasCode(
    `model = keras.Sequential([\n    keras.Input(shape=${shape}),\n${layers.map((l) => `    layers.${l},`).join('\n')}\n])`,
  ).built;
/** The one layer after keras.Input(shape): its output shape, parameter count and [name, shape] of its weights. */
function expectLayer(
  shape: string,
  layer: string,
  outputShape: number[],
  paramCount: number,
  params: [string, number[]][],
) {
  const l = seq(shape, layer).layers[0];
  expect(l.outputShape).toEqual(outputShape);
  expect(l.params.map((p) => [p.name, p.shape])).toEqual(params);
  expect(l.paramCount).toBe(paramCount);
}
const rows = (shape: string, ...layers: string[]) =>
  seq(shape, ...layers).layers.map((l) => [l.layer.className, l.outputShape, l.paramCount]);

describe('new layers: shapes and parameters worked out by hand', () => {
  it('BatchNormalization: gamma, beta, moving_mean, moving_variance; the moving ones non-trainable', () => {
    const b = seq('(8, 8, 6)', 'BatchNormalization()');
    const l = b.layers[0];
    expect(l.outputShape).toEqual([8, 8, 6]);
    expect(l.params.map((p) => [p.name, p.shape, p.initializer, p.trainable ?? true])).toEqual([
      ['gamma', [6], 'ones', true],
      ['beta', [6], 'zeros', true],
      ['moving_mean', [6], 'zeros', false],
      ['moving_variance', [6], 'ones', false],
    ]);
    expect(l.layer.config).toEqual({
      name: 'batch_normalization',
      axis: -1,
      momentum: 0.99,
      epsilon: 0.001,
      center: true,
      scale: true,
      beta_initializer: 'zeros',
      gamma_initializer: 'ones',
      moving_mean_initializer: 'zeros',
      moving_variance_initializer: 'ones',
    });
    const s = summarize(b);
    expect([s.totalParams, s.trainableParams, s.nonTrainableParams]).toEqual([24, 12, 12]);
    // Without center and scale only the moving statistics remain: 2 * 6, all non-trainable.
    const bare = summarize(seq('(8, 8, 6)', 'BatchNormalization(center=False, scale=False, momentum=0.9)'));
    expect([bare.totalParams, bare.trainableParams, bare.nonTrainableParams]).toEqual([12, 0, 12]);
    // On a vector (after Dense): one statistic per unit.
    expect(rows('(5,)', 'Dense(3)', 'BatchNormalization()')).toEqual([
      ['Dense', [3], 18],
      ['BatchNormalization', [3], 12],
    ]);
  });

  it('DepthwiseConv2D, SeparableConv2D and Conv2DTranspose, with Keras weight names and layouts', () => {
    // depthwise_kernel [3, 3, 4, 2] = 72, bias 4 * 2 = 8.
    expectLayer('(8, 8, 4)', 'DepthwiseConv2D(3, depth_multiplier=2)', [6, 6, 8], 80, [
      ['depthwise_kernel', [3, 3, 4, 2]],
      ['bias', [8]],
    ]);
    // 3*3*4*1 + 1*1*4*16 + 16 = 36 + 64 + 16.
    expectLayer('(8, 8, 4)', "SeparableConv2D(16, 3, padding='same')", [8, 8, 16], 116, [
      ['depthwise_kernel', [3, 3, 4, 1]],
      ['pointwise_kernel', [1, 1, 4, 16]],
      ['bias', [16]],
    ]);
    // Transposed: 'valid' gives in*s + max(k - s, 0) = 4*2 + 1 = 9; 'same' gives in*s = 8.
    expectLayer('(4, 4, 3)', 'Conv2DTranspose(5, 3, strides=2)', [9, 9, 5], 3 * 3 * 5 * 3 + 5, [
      ['kernel', [3, 3, 5, 3]],
      ['bias', [5]],
    ]);
    expect(
      seq('(4, 4, 3)', "Conv2DTranspose(5, 3, strides=2, padding='same')").layers[0].outputShape,
    ).toEqual([8, 8, 5]);
  });

  it('pooling, upsampling, rescaling, reshape and Dense on the last axis', () => {
    expect(
      rows(
        '(4, 4, 3)',
        'UpSampling2D(size=(2, 3))',
        'Rescaling(1.0 / 255, offset=-1.0)',
        'GlobalMaxPooling2D()',
      ),
    ).toEqual([
      ['UpSampling2D', [8, 12, 3], 0],
      ['Rescaling', [8, 12, 3], 0],
      ['GlobalMaxPooling2D', [3], 0],
    ]);
    // Dense(5) on (16, 3) maps the last axis: 3*5 + 5.
    expect(rows('(4, 4, 3)', 'Reshape((-1, 3))', 'Dense(5)', 'Reshape((80,))')).toEqual([
      ['Reshape', [16, 3], 0],
      ['Dense', [16, 5], 20],
      ['Reshape', [80], 0],
    ]);
    expect(() => seq('(4, 4, 3)', 'Reshape((5, 5))')).toThrow(
      'reshape (Reshape) cannot turn (4, 4, 3) (48 values) into (5, 5); give a target_shape with the same number of values',
    );
  });

  it('Normalization: mean, variance and count as non-trainable weights when adapted; none when given', () => {
    const adapted = seq('(4, 4, 3)', 'Normalization()');
    expect(adapted.layers[0].params.map((p) => [p.name, p.shape, p.trainable])).toEqual([
      ['mean', [3], false],
      ['variance', [3], false],
      ['count', [], false],
    ]);
    // 3 + 3 + 1, as Keras's summary shows for RGB images.
    expect(summarize(adapted).nonTrainableParams).toBe(7);
    const given = seq('(4, 4, 3)', 'Normalization(mean=[0.5, 0.4, 0.3], variance=[0.1, 0.2, 0.3])');
    expect(given.paramCount).toBe(0);
    expect(() => seq('(4, 4, 3)', 'Normalization(mean=[0.5, 0.4], variance=[0.1, 0.2])')).toThrow(
      'has 2 mean values for 3 channels',
    );
  });

  it('augmentation layers keep the image shape; RandomCrop crops it', () => {
    expect(
      rows(
        '(32, 32, 3)',
        "RandomFlip('horizontal')",
        'RandomTranslation(0.1, 0.1)',
        'RandomRotation(0.05)',
        'RandomZoom((-0.2, 0.2))',
        'RandomCrop(24, 24)',
      ),
    ).toEqual([
      ['RandomFlip', [32, 32, 3], 0],
      ['RandomTranslation', [32, 32, 3], 0],
      ['RandomRotation', [32, 32, 3], 0],
      ['RandomZoom', [32, 32, 3], 0],
      ['RandomCrop', [24, 24, 3], 0],
    ]);
    expect(() => seq('(32, 32, 3)', "RandomFlip('diagonal')")).toThrow(
      "RandomFlip: mode='diagonal' is not supported; use 'horizontal' or 'vertical' or 'horizontal_and_vertical'",
    );
  });

  it('a BatchNorm CNN: totals, trainable and non-trainable as Keras prints them', () => {
    const b = seq(
      '(28, 28, 1)',
      "Conv2D(8, 3, padding='same', use_bias=False)",
      'BatchNormalization()',
      "Activation('relu')",
      "DepthwiseConv2D(3, padding='same', use_bias=False)",
      'BatchNormalization()',
      'Conv2D(16, 1, use_bias=False)',
      'BatchNormalization()',
      'GlobalAveragePooling2D()',
      "Dense(10, activation='softmax')",
    );
    // conv 3*3*1*8 = 72; BN 4*8; depthwise 3*3*8 = 72; BN 4*8; pointwise 8*16 = 128; BN 4*16; dense 16*10+10.
    const total = 72 + 32 + 72 + 32 + 128 + 64 + 170;
    const nonTrainable = 2 * 8 + 2 * 8 + 2 * 16;
    const s = summarize(b);
    expect([s.totalParams, s.trainableParams, s.nonTrainableParams]).toEqual([
      total,
      total - nonTrainable,
      nonTrainable,
    ]);
  });
});

describe('new layers: read back from every export', () => {
  const ALL = [
    "Rescaling(1.0 / 255, offset=-1.0, name='scale')",
    'Normalization()',
    "RandomFlip('horizontal')",
    'RandomTranslation(0.1, (-0.2, 0.1), fill_mode="constant")',
    'RandomRotation(0.05, seed=3)',
    'RandomZoom(0.2, width_factor=0.1)',
    'RandomCrop(28, 28)',
    "Conv2D(8, 3, padding='same', use_bias=False)",
    'BatchNormalization(momentum=0.9, epsilon=1e-5)',
    "DepthwiseConv2D(3, padding='same', depth_multiplier=2, activation='relu')",
    "SeparableConv2D(8, 3, padding='same')",
    'Conv2DTranspose(4, 2, strides=2)',
    'UpSampling2D()',
    'MaxPooling2D(4)',
    'Reshape((28, 28 * 4))',
    'Dense(6)',
    'Reshape((28, 6, 1))',
    'GlobalMaxPooling2D()',
    "Dense(10, activation='softmax')",
  ];
  const src = importKerasCode(
    `model = keras.Sequential([\n    keras.Input(shape=(32, 32, 3)),\n${ALL.map((l) => `    layers.${l},`).join('\n')}\n])`,
  );

  it('builds: shapes through all of them', () => {
    // 32 -> crop 28 -> convs 'same' -> transposed x2 = 56 -> upsampled x2 = 112 -> pooled /4 = 28, 4 channels.
    expect(src.built.layers.map((l) => l.outputShape).slice(-5)).toEqual([
      [28, 112],
      [28, 6],
      [28, 6, 1],
      [1],
      [10],
    ]);
    expect(src.warnings).toEqual([]);
  });

  it('Keras code export', () => {
    const code = exportKerasCode(src.built, DEFAULT_TRAINING);
    expect(code).toContain('layers.BatchNormalization(momentum=0.9, epsilon=0.00001),');
    expect(code).toContain(
      'layers.RandomTranslation(height_factor=0.1, width_factor=(-0.2, 0.1), fill_mode="constant"),',
    );
    const back = importKerasCode(code);
    expect(back.model.layers).toEqual(src.model.layers);
    expect(back.warnings).toEqual([]);
  });

  it('Keras 3 JSON export', () => {
    const j = JSON.parse(exportKerasJson(src.built));
    const bnJson = j.config.layers.find((l: { class_name: string }) => l.class_name === 'BatchNormalization');
    expect(bnJson.config).toMatchObject({
      axis: -1,
      momentum: 0.9,
      epsilon: 1e-5,
      center: true,
      scale: true,
    });
    expect(bnJson.config.gamma_initializer.class_name).toBe('Ones');
    const back = importKerasJson(exportKerasJson(src.built));
    expect(back.model.layers).toEqual(src.model.layers);
    expect(back.built.paramCount).toBe(src.built.paramCount);
  });

  it('TF.js model.json: topology and weights in Keras order, moving statistics included', () => {
    const weights = initialWeights(src.built, 3);
    const { modelJson, weightsBin } = exportTfjsModel(src.built, weights);
    expect(weightsBin.byteLength).toBe(src.built.paramCount * 4);
    const manifest = JSON.parse(modelJson).weightsManifest[0].weights.map((w: { name: string }) => w.name);
    expect(manifest.filter((n: string) => n.startsWith('batch_normalization/'))).toEqual([
      'batch_normalization/gamma',
      'batch_normalization/beta',
      'batch_normalization/moving_mean',
      'batch_normalization/moving_variance',
    ]);
    expect(manifest.filter((n: string) => n.startsWith('normalization/'))).toEqual([
      'normalization/mean',
      'normalization/variance',
      'normalization/count',
    ]);
    const back = importKerasJson(modelJson);
    expect(back.built.paramCount).toBe(src.built.paramCount);
    expect(back.model.layers.map((l) => l.className)).toEqual(src.model.layers.map((l) => l.className));
  });

  it('JSON of a class Paperweight does not have names the class', () => {
    const j = JSON.parse(exportKerasJson(src.built));
    j.config.layers[3].class_name = 'RandomContrast';
    expect(() => importKerasJson(JSON.stringify(j))).toThrow(KerasImportError);
    expect(() => importKerasJson(JSON.stringify(j))).toThrow(
      /^layer 4 'random_flip' \(RandomContrast\): 'RandomContrast' is not supported/,
    );
  });
});

// Exports read back by our own importers give the same model (every corpus snippet) and the same weights.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@lezer/python';
import { describe, expect, it } from 'vitest';
import {
  exportKerasCode,
  exportKerasJson,
  exportTfjsModel,
  importKerasCode,
  importKerasJson,
  importTfjsWeights,
} from '../../src/keras';
import { DEFAULT_TRAINING, initialWeights, type TrainingConfig } from '../../src/model';
import { LENET_WEIGHT_NAMES } from './lenet-names';

const dir = join(__dirname, '../fixtures/keras/snippets');
const snippets = readdirSync(dir).filter((f) => f.endsWith('.py'));

describe('Keras export round trips over the snippet corpus', () => {
  for (const f of snippets) {
    it(f, () => {
      const src = importKerasCode(readFileSync(join(dir, f), 'utf8'));
      const training: TrainingConfig = { ...DEFAULT_TRAINING, ...src.training };
      const code = exportKerasCode(src.built, training);
      let syntaxError = false;
      parser.parse(code).iterate({
        enter: (n) => {
          if (n.type.isError) syntaxError = true;
        },
      });
      expect(syntaxError).toBe(false);
      const fromCode = importKerasCode(code);
      expect(fromCode.model.layers).toEqual(src.model.layers);
      expect(fromCode.built.inputShape).toEqual(src.built.inputShape);
      expect(fromCode.model.name).toBe(src.model.name);
      expect(fromCode.training).toEqual(training);
      expect(fromCode.warnings).toEqual([]);

      const fromJson = importKerasJson(exportKerasJson(src.built));
      expect(fromJson.model.layers).toEqual(src.model.layers);
      expect(fromJson.built.inputShape).toEqual(src.built.inputShape);
      expect(fromJson.model.name).toBe(src.model.name);

      const weights = initialWeights(src.built, 7);
      const eluAlpha = src.model.layers.find(
        (l) => l.className === 'Activation' && l.config.alpha !== undefined && l.config.activation === 'elu',
      );
      if (eluAlpha && eluAlpha.className === 'Activation' && eluAlpha.config.alpha !== 1) {
        // TF.js's ELU layer has no alpha; the export says so instead of writing a model TF.js cannot load.
        expect(() => exportTfjsModel(src.built, weights)).toThrow(
          "TF.js's ELU layer only supports alpha=1.0",
        );
        return;
      }
      const { modelJson, weightsBin } = exportTfjsModel(src.built, weights);
      expect(weightsBin.byteLength).toBe(src.built.paramCount * 4);
      const back = importTfjsWeights(modelJson, weightsBin);
      expect(back.map((w) => [w.name, w.shape])).toEqual(weights.map((w) => [w.name, w.shape]));
      back.forEach((w, i) => {
        expect(Array.from(w.data)).toEqual(Array.from(weights[i].data));
      });
      expect(importKerasJson(modelJson).built.paramCount).toBe(src.built.paramCount);
    });
  }
});

describe('Keras export details', () => {
  const lenet = importKerasCode(readFileSync(join(dir, '01-lenet-paper.py'), 'utf8'));

  it('the Keras 3 JSON has the to_json() envelope, DTypePolicy dtypes and build configs', () => {
    const j = JSON.parse(exportKerasJson(lenet.built));
    expect(j.module).toBe('keras');
    expect(j.class_name).toBe('Sequential');
    expect(j.build_config).toEqual({ input_shape: [null, 32, 32, 1] });
    expect(j.config.layers[0]).toEqual({
      module: 'keras.layers',
      class_name: 'InputLayer',
      config: { batch_shape: [null, 32, 32, 1], dtype: 'float32', sparse: false, name: 'input_layer' },
      registered_name: null,
    });
    const conv = j.config.layers[1];
    expect(conv.config.dtype).toEqual({
      module: 'keras',
      class_name: 'DTypePolicy',
      config: { name: 'float32' },
      registered_name: null,
    });
    expect(conv.config.kernel_initializer).toEqual({
      module: 'keras.initializers',
      class_name: 'GlorotUniform',
      config: { seed: null },
      registered_name: null,
    });
    expect(conv.build_config).toEqual({ input_shape: [null, 32, 32, 1] });
    expect(j.config.layers[3].build_config).toEqual({ input_shape: [null, 14, 14, 6] });
  });

  it('the TF.js model.json has the Layers format fields and Keras weight names', () => {
    const { modelJson } = exportTfjsModel(lenet.built, initialWeights(lenet.built));
    const j = JSON.parse(modelJson);
    expect(j.format).toBe('layers-model');
    expect(j.weightsManifest[0].paths).toEqual(['group1-shard1of1.bin']);
    expect(j.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual(LENET_WEIGHT_NAMES);
    expect(j.modelTopology.config.layers[0].config.batch_input_shape).toEqual([null, 32, 32, 1]);
  });

  it('refuses weights that do not fit the model, and a short weights file', () => {
    const w = initialWeights(lenet.built);
    expect(() => exportTfjsModel(lenet.built, w.slice(1))).toThrow("weights for 'conv2d/kernel' are missing");
    const { modelJson, weightsBin } = exportTfjsModel(lenet.built, w);
    // conv2d/kernel + bias take 150 * 4 + 6 * 4 = 624 bytes; conv2d_1/kernel does not fit in the rest.
    expect(() => importTfjsWeights(modelJson, weightsBin.subarray(0, 700))).toThrow(
      "the weights file has 700 bytes but the manifest needs more (at 'conv2d_1/kernel')",
    );
  });

  it('the exported code states the settings and loads data for the input shape', () => {
    const code = exportKerasCode(lenet.built, {
      ...DEFAULT_TRAINING,
      loss: 'categorical_crossentropy',
      optimizer: {
        name: 'rmsprop',
        learning_rate: 0.002,
        rho: 0.8,
        momentum: 0,
        epsilon: 1e-7,
        centered: false,
      },
    });
    expect(code).toContain('keras.Input(shape=(32, 32, 1)),');
    expect(code).toContain('layers.Conv2D(6, kernel_size=(5, 5), activation="relu"),');
    expect(code).toContain('optimizer=keras.optimizers.RMSprop(learning_rate=0.002, rho=0.8),');
    expect(code).toContain('keras.datasets.mnist.load_data()');
    expect(code).toContain('np.pad(x_train, ((0, 0), (2, 2), (2, 2)))');
    expect(code).toContain('y_train = keras.utils.to_categorical(y_train, 10)');
    expect(code).toContain('batch_size=64,');
  });
});

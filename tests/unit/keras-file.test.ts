// Keras 3 .keras files both ways. Fixtures are written by h5py in Keras's saving_lib layout
// (tests/fixtures/make_keras_files.py); our exports are read back by h5py (tests/fixtures/h5_layout.py).
import { writeFileSync } from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importKerasJson } from '../../src/keras';
import { exportKerasFile, importKerasFile, layerGroupNames } from '../../src/keras/keras-file';
import { exportOnnx } from '../../src/keras/onnx';
import { type BuiltModel, DEFAULT_TRAINING, type NamedWeight, nameStem, Rng } from '../../src/model';
import {
  expectFixtureLenet,
  expectSameEntries,
  expectSameWeights,
  kerasFixtureFolder,
  LENET_PARAMS,
} from './keras-model-files';
import { h5Layout, sidecarWeights } from './keras-python';

const fixtures = kerasFixtureFolder();
const { path, read } = fixtures;

describe('importing .keras written in Keras 3 layout by h5py', () => {
  it.each(['lenet.keras', 'lenet-pre36.keras'])(
    '%s: config, training and weights, predicting as the same weights through the JSON import',
    async (file) => {
      const r = await importKerasFile(read(file), file);
      expectFixtureLenet(r);
      expect(r.built.layers.map((l) => l.layer.className)).toEqual([
        'Conv2D',
        'MaxPooling2D',
        'Conv2D',
        'MaxPooling2D',
        'Flatten',
        'Dense',
        'Dropout',
        'Dense',
        'Dense',
      ]);
      expect(r.training.loss).toBe('sparse_categorical_crossentropy');
      // The same model and weights through our own JSON import predict the same.
      fixtures.expectPredictsAsSidecar(r, 'lenet-keras', 4, 3);
    },
  );
});

describe('exporting .keras', () => {
  it('h5py sees the layout and values Keras writes (all but the optimizer state)', async () => {
    const fixture = await importKerasFile(read('lenet.keras'), 'lenet.keras');
    const training = { ...DEFAULT_TRAINING, ...fixture.training };
    const bytes = await exportKerasFile(fixture.built, fixture.weights, training);
    const ours = path('ours.keras');
    writeFileSync(ours, bytes);
    const got = h5Layout(ours);
    const want = h5Layout(path('lenet.keras'));

    expect(got.zip).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    expect(got.compression).toEqual([0]);
    expect(Object.keys(got.metadata ?? {}).sort()).toEqual(['date_saved', 'keras_version']);
    expect(String(got.metadata?.date_saved)).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);

    // Paperweight keeps no optimizer slots in its weights, so `optimizer/` is the one part left out.
    const wantPaths = Object.keys(want.paths).filter((p) => !p.startsWith('optimizer'));
    expect(Object.keys(got.paths).sort()).toEqual(wantPaths.sort());
    for (const p of wantPaths) {
      const [g, w] = [got.paths[p], want.paths[p]];
      expect({ p, kind: g.kind, attrs: g.attrs }).toEqual({ p, kind: w.kind, attrs: w.attrs });
      if (w.kind === 'dataset') {
        expect({ p, shape: g.shape, dtype: g.dtype }).toEqual({ p, shape: w.shape, dtype: w.dtype });
        expect(g.data).toEqual(w.data);
      }
    }

    const cfg = got.config as {
      class_name: string;
      config: { layers: { class_name: string; config: { name: string } }[] };
    };
    const wcfg = want.config as typeof cfg;
    expect(cfg.class_name).toBe('Sequential');
    expect(cfg.config.layers.map((l) => [l.class_name, l.config.name])).toEqual(
      wcfg.config.layers.map((l) => [l.class_name, l.config.name]),
    );
    const compile = (
      got.config as {
        compile_config: {
          optimizer: { class_name: string; config: { learning_rate: number } };
          loss: string;
        };
      }
    ).compile_config;
    expect(compile.optimizer.class_name).toBe('Adam');
    expect(compile.optimizer.config.learning_rate).toBe(0.0005);
    expect(compile.loss).toBe('sparse_categorical_crossentropy');

    // And it reads back into the same model and weights.
    const again = await importKerasFile(bytes, 'ours.keras');
    expect(again.built.paramCount).toBe(LENET_PARAMS);
    expectSameWeights(again.weights, fixture.weights);
  }, 120_000);

  it('names weight groups as Keras does: by class in snake case, numbered per class', () => {
    expect(
      ['Conv2D', 'MaxPooling2D', 'GlobalAveragePooling2D', 'BatchNormalization', 'ReLU'].map(nameStem),
    ).toEqual(['conv2d', 'max_pooling2d', 'global_average_pooling2d', 'batch_normalization', 're_lu']);
    expect(layerGroupNames(['Conv2D', 'Dense', 'Conv2D', 'Conv2D', 'Dense'])).toEqual([
      'conv2d',
      'dense',
      'conv2d_1',
      'conv2d_2',
      'dense_1',
    ]);
  });

  it('refuses weights that do not fit the model, naming the weight', async () => {
    const fixture = await importKerasFile(read('lenet.keras'), 'lenet.keras');
    const bad = fixture.weights.map((w) => (w.name === 'dense/kernel' ? { ...w, shape: [120, 400] } : w));
    await expect(exportKerasFile(fixture.built, bad)).rejects.toThrow(
      /'dense\/kernel' has shape \[120,400\]/,
    );
    const missing = fixture.weights.filter((w) => w.name !== 'conv2d_1/bias');
    await expect(exportKerasFile(fixture.built, missing)).rejects.toThrow(/conv2d_1\/bias' are missing/);
  });
});

describe('refusing broken .keras files with a message naming the file', () => {
  const good = () => read('lenet.keras');
  const members = () => unzipSync(good());

  it('truncated', async () => {
    const b = good();
    await expect(importKerasFile(b.subarray(0, b.length >> 1), 'half.keras')).rejects.toThrow(
      /^half\.keras: .*truncated/,
    );
  });
  it('not a zip', async () => {
    await expect(importKerasFile(strToU8('{"class_name": "Sequential"}'), 'model.keras')).rejects.toThrow(
      /^model\.keras: not a \.keras file/,
    );
  });
  it('no config.json', async () => {
    const { 'config.json': _, ...rest } = members();
    await expect(importKerasFile(zipSync(rest), 'noconfig.keras')).rejects.toThrow(
      /^noconfig\.keras: the archive has no config\.json/,
    );
  });
  it('config.json that is not JSON', async () => {
    const m = { ...members(), 'config.json': strToU8('{"class_name": ') };
    await expect(importKerasFile(zipSync(m), 'badjson.keras')).rejects.toThrow(
      /^badjson\.keras: config\.json is not valid JSON/,
    );
  });
  it('no weights file', async () => {
    const { 'model.weights.h5': _, ...rest } = members();
    await expect(importKerasFile(zipSync(rest), 'noweights.keras')).rejects.toThrow(
      /^noweights\.keras: the archive has no model\.weights\.h5/,
    );
  });
  it('a damaged weights file', async () => {
    const m = members();
    const h5 = m['model.weights.h5'];
    await expect(
      importKerasFile(zipSync({ ...m, 'model.weights.h5': h5.subarray(0, 3000) }), 'cut.keras'),
    ).rejects.toThrow(/^cut\.keras \(model\.weights\.h5\) could not be read as HDF5: .*truncated/);
    await expect(
      importKerasFile(zipSync({ ...m, 'model.weights.h5': strToU8('not hdf5') }), 'text.keras'),
    ).rejects.toThrow(/^text\.keras \(model\.weights\.h5\) is not an HDF5 file/);
  });
  it('a zip that claims to inflate past 1 GiB (a zip bomb), before inflating it', async () => {
    const b = good().slice();
    const view = new DataView(b.buffer);
    // Central directory entries (PK\x01\x02): the uncompressed size sits 24 bytes in.
    for (let i = 0; i + 46 <= b.length; i++) {
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 0xfff00000, true);
    }
    await expect(importKerasFile(b, 'bomb.keras')).rejects.toThrow(/^bomb\.keras: .*more than 1 GiB/);
  });
  it('weights that do not fit the config', async () => {
    const m = members();
    const cfg = JSON.parse(new TextDecoder().decode(m['config.json']));
    cfg.config.layers[1].config.filters = 8;
    await expect(
      importKerasFile(zipSync({ ...m, 'config.json': strToU8(JSON.stringify(cfg)) }), 'edited.keras'),
    ).rejects.toThrow(
      /^edited\.keras: .*layers\/conv2d\/vars\/0 has shape \(5, 5, 1, 6\) but conv2d\/kernel needs \(5, 5, 1, 8\)/,
    );
  });
});

describe('functional models in .keras', () => {
  it('a residual block written by h5py imports as the same graph and weights, and exports the same layout', async () => {
    const r = await importKerasFile(read('residual.keras'), 'residual.keras');
    fixtures.expectResidual(r);
    // Our forward of a graph: the ONNX export run by onnxruntime (its own check is the GPU test).
    const viaJson = importKerasJson(unzippedConfig(read('residual.keras'))).built;
    expect(await onnxPredict(r.built, r.weights)).toEqual(
      await onnxPredict(viaJson, sidecarWeights(path('residual.weights.json'))),
    );

    const ours = path('residual-ours.keras');
    writeFileSync(ours, await exportKerasFile(r.built, r.weights));
    const [got, want] = [h5Layout(ours).paths, h5Layout(path('residual.keras')).paths];
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    expectSameEntries(got, want, Object.keys(want));
  }, 120_000);
});

function unzippedConfig(bytes: Uint8Array): string {
  return new TextDecoder().decode(unzipSync(bytes)['config.json']);
}

async function onnxPredict(model: BuiltModel, weights: NamedWeight[]): Promise<number[]> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(exportOnnx(model, weights));
  const rng = new Rng(21);
  const size = 3 * model.inputShape.reduce((a, b) => a * b, 1);
  const x = new ort.Tensor(
    'float32',
    Float32Array.from({ length: size }, () => rng.next()),
    [3, ...model.inputShape],
  );
  const out = Array.from((await session.run({ input: x })).output.data as Float32Array);
  await session.release();
  return out;
}

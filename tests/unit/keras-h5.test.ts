// Keras 2 .h5 model files both ways. Fixtures are written by h5py in Keras's hdf5_format layout
// (tests/fixtures/make_keras_files.py); our exports are read back by h5py (tests/fixtures/h5_layout.py).
import { writeFileSync } from 'node:fs';
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importKerasJson } from '../../src/keras';
import { exportKerasH5, importKerasH5 } from '../../src/keras/h5';
import { group, readHdf5, writeHdf5 } from '../../src/keras/hdf5-tree';
import { importKerasFile } from '../../src/keras/keras-file';
import { DEFAULT_TRAINING } from '../../src/model';
import {
  expectFixtureLenet,
  expectSameEntries,
  expectSameWeights,
  kerasFixtureFolder,
} from './keras-model-files';
import { h5Layout } from './keras-python';
import { LENET_KERAS_NAMES } from './lenet-names';

const fixtures = kerasFixtureFolder();
const { path, read } = fixtures;

describe('importing .h5 written in Keras 2 layout by h5py', () => {
  // lenet-h5py2.h5 stores its strings fixed-length, as h5py 2.x (the Keras 2.0-2.3 era) did.
  it.each(['lenet.h5', 'lenet-h5py2.h5'])(
    '%s: config, training and weights, predicting as the same weights through the JSON import',
    async (file) => {
      const r = await importKerasH5(read(file), file);
      expectFixtureLenet(r);
      expect(r.built.layers.map((l) => l.layer.config.name)).toEqual([...LENET_KERAS_NAMES, 'dense_2']);
      expect(r.training.metrics).toEqual(['accuracy']);
      fixtures.expectPredictsAsSidecar(r, 'lenet-h5', 3, 9);
    },
  );

  it('loads weights by order, as Keras does, when the file numbers its layers differently', async () => {
    // The .keras fixture's weights under other names still load into the .h5 model by position.
    const k = await importKerasFile(read('lenet.keras'), 'lenet.keras');
    const h = await importKerasH5(read('lenet.h5'), 'lenet.h5');
    expectSameWeights(h.weights, k.weights);
  });
});

describe('exporting .h5', () => {
  it('h5py sees the layout and values Keras 2 writes (all but the optimizer state)', async () => {
    const fixture = await importKerasH5(read('lenet.h5'), 'lenet.h5');
    const training = { ...DEFAULT_TRAINING, ...fixture.training };
    const bytes = await exportKerasH5(fixture.built, fixture.weights, training);
    const ours = path('ours.h5');
    writeFileSync(ours, bytes);
    const got = h5Layout(ours).paths;
    const want = h5Layout(path('lenet.h5')).paths;

    const wantPaths = Object.keys(want).filter((p) => !p.startsWith('optimizer_weights'));
    expect(Object.keys(got).sort()).toEqual(wantPaths.sort());
    for (const p of wantPaths) {
      const [g, w] = [got[p], want[p]];
      expect({ p, kind: g.kind, attrs: Object.keys(g.attrs).sort() }).toEqual({
        p,
        kind: w.kind,
        attrs: Object.keys(w.attrs).sort(),
      });
      if (p !== '/') expect({ p, attrs: g.attrs }).toEqual({ p, attrs: w.attrs });
      if (w.kind === 'dataset') {
        expect({ p, shape: g.shape, dtype: g.dtype }).toEqual({ p, shape: w.shape, dtype: w.dtype });
        expect(g.data).toEqual(w.data);
      }
    }
    const [ga, wa] = [got['/'].attrs, want['/'].attrs];
    expect([ga.backend, ga.keras_version]).toEqual([wa.backend, wa.keras_version]);
    // model_config in Keras 2 spelling: no module/registered_name, string dtypes, batch_input_shape.
    const gcfg = JSON.parse(String(ga.model_config));
    const wcfg = JSON.parse(String(wa.model_config));
    expect(String(ga.model_config)).not.toMatch(/"module"|"registered_name"|DTypePolicy/);
    expect(gcfg.config.layers[0].config.batch_input_shape).toEqual(
      wcfg.config.layers[0].config.batch_input_shape,
    );
    const summary = (c: {
      config: { layers: { class_name: string; config: { name: string; dtype: string } }[] };
    }) => c.config.layers.slice(1).map((l) => [l.class_name, l.config.name, l.config.dtype]);
    expect(summary(gcfg)).toEqual(summary(wcfg));
    expect(importKerasJson(String(ga.model_config)).built).toEqual(
      importKerasJson(String(wa.model_config)).built,
    );
    const gtc = JSON.parse(String(ga.training_config));
    const wtc = JSON.parse(String(wa.training_config));
    expect([
      gtc.loss,
      gtc.metrics,
      gtc.optimizer_config.class_name,
      gtc.optimizer_config.config.learning_rate,
    ]).toEqual([
      wtc.loss,
      wtc.metrics,
      wtc.optimizer_config.class_name,
      wtc.optimizer_config.config.learning_rate,
    ]);

    const again = await importKerasH5(bytes, 'ours.h5');
    expectSameWeights(again.weights, fixture.weights);
    expect(again.training.optimizer?.learning_rate).toBe(0.0005);
  }, 120_000);
});

describe('refusing broken .h5 files with a message naming the file', () => {
  it('truncated', async () => {
    const b = read('lenet.h5');
    await expect(importKerasH5(b.subarray(0, b.length - 1000), 'cut.h5')).rejects.toThrow(
      /^cut\.h5 could not be read as HDF5: the file is truncated or damaged/,
    );
  });
  it('not HDF5', async () => {
    await expect(importKerasH5(strToU8('PK\u0003\u0004 a zip'), 'model.h5')).rejects.toThrow(
      /^model\.h5 is not an HDF5 file/,
    );
  });
  it('no model_config: a weights-only file, or a Keras 3 weights file', async () => {
    const weightsOnly = await writeHdf5(group({ layer_names: ['dense'], backend: 'tensorflow' }));
    await expect(importKerasH5(weightsOnly, 'w.h5')).rejects.toThrow(/^w\.h5: this file holds weights only/);
    const k3 = group();
    k3.children.set('layers', group());
    await expect(importKerasH5(await writeHdf5(k3), 'model.weights.h5')).rejects.toThrow(
      /^model\.weights\.h5: this is a Keras 3 weights file/,
    );
    await expect(importKerasH5(await writeHdf5(group({ other: 'x' })), 'x.h5')).rejects.toThrow(
      /^x\.h5: the HDF5 file has no model_config attribute/,
    );
  });
  it('layers with weights that do not match the config', async () => {
    const r = await importKerasH5(read('lenet.h5'), 'lenet.h5');
    const tree = await readHdf5(await exportKerasH5(r.built, r.weights), 'ours.h5');
    // The config loses dense_1, so the model has one layer with weights fewer than the file.
    const cfg = JSON.parse(String(tree.attrs.model_config));
    expect(cfg.config.layers[8].config.name).toBe('dense_1');
    cfg.config.layers.splice(8, 1);
    tree.attrs.model_config = JSON.stringify(cfg);
    await expect(importKerasH5(await writeHdf5(tree), 'edited.h5')).rejects.toThrow(
      /^edited\.h5: the model has 4 layers with weights but model_weights holds weights for 5/,
    );
  });
});

describe('functional models in .h5', () => {
  it('a residual block written by h5py imports as the same graph and weights, and exports the same layout', async () => {
    const r = await importKerasH5(read('residual.h5'), 'residual.h5');
    fixtures.expectResidual(r);

    const ours = path('residual-ours.h5');
    writeFileSync(ours, await exportKerasH5(r.built, r.weights));
    const [got, want] = [h5Layout(ours).paths, h5Layout(path('residual.h5')).paths];
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    expectSameEntries(
      got,
      want,
      Object.keys(want).filter((k) => k !== '/'),
    );
    // Keras 2's graph spelling: inbound_nodes as [[[layer, node, tensor, kwargs], ...]].
    const nodes = (c: unknown) =>
      (c as { config: { layers: { name: string; inbound_nodes: unknown }[] } }).config.layers.map((l) => [
        l.name,
        l.inbound_nodes,
      ]);
    const gcfg = JSON.parse(String(got['/'].attrs.model_config));
    const wcfg = JSON.parse(String(want['/'].attrs.model_config));
    expect(nodes(gcfg)).toEqual(nodes(wcfg));
    expect(gcfg.class_name).toBe(wcfg.class_name);
    expect(importKerasJson(String(got['/'].attrs.model_config)).built).toEqual(r.built);
  }, 120_000);
});

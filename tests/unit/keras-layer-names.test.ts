// The layer forms of activations (ReLU, LeakyReLU, ELU, Softmax) run as the engine's activation op but keep
// their Keras class: Keras 3's automatic names (re_lu, leaky_re_lu, elu, softmax, counted per stem), summary
// rows, code and JSON exports, and every round trip back.
import { describe, expect, it } from 'vitest';
import { exportKerasCode, exportKerasJson, importKerasCode, importKerasJson } from '../../src/keras';
import { tfjsTopology } from '../../src/keras/export-json';
import { buildSequential, DEFAULT_TRAINING, type Layer, summarize, summaryText } from '../../src/model';
import { layerLines } from '../../src/ui/model/layer-lines';

const SEQUENTIAL = `
model = Sequential()
model.add(Dense(4, input_shape=(3,)))
model.add(ReLU())
model.add(LeakyReLU())
model.add(Activation('relu'))
model.add(ReLU(negative_slope=0.1))
model.add(ReLU(max_value=6.0))
model.add(ELU(alpha=0.5))
model.add(LeakyReLU(negative_slope=0.2))
model.add(Softmax())
`;

const names = (r: { built: { layers: { layer: Layer }[] } }) =>
  r.built.layers.map((l) => l.layer.config.name);
type JsonLayer = { class_name: string; config: Record<string, unknown> };

describe('activation layers keep their Keras class', () => {
  const src = importKerasCode(SEQUENTIAL);

  it('runs them as Activation layers with the engine activation', () => {
    expect(src.built.layers.map((l) => [l.layer.className, l.layer.config])).toEqual([
      ['Dense', expect.objectContaining({ name: 'dense' })],
      ['Activation', { name: 're_lu', activation: 'relu', form: 'ReLU' }],
      ['Activation', { name: 'leaky_re_lu', activation: 'leaky_relu', alpha: 0.3, form: 'LeakyReLU' }],
      ['Activation', { name: 'activation', activation: 'relu' }],
      ['Activation', { name: 're_lu_1', activation: 'leaky_relu', alpha: 0.1, form: 'ReLU' }],
      ['Activation', { name: 're_lu_2', activation: 'relu6', form: 'ReLU' }],
      ['Activation', { name: 'elu', activation: 'elu', alpha: 0.5, form: 'ELU' }],
      ['Activation', { name: 'leaky_re_lu_1', activation: 'leaky_relu', alpha: 0.2, form: 'LeakyReLU' }],
      ['Activation', { name: 'softmax', activation: 'softmax', form: 'Softmax' }],
    ]);
  });

  it("prints Keras 3's summary rows", () => {
    const rows = summaryText(summarize(src.built)).split('\n').slice(4, 14);
    expect(rows).toEqual([
      '│ dense (Dense)                   │ (None, 4)              │            16 │',
      '│ re_lu (ReLU)                    │ (None, 4)              │             0 │',
      '│ leaky_re_lu (LeakyReLU)         │ (None, 4)              │             0 │',
      '│ activation (Activation)         │ (None, 4)              │             0 │',
      '│ re_lu_1 (ReLU)                  │ (None, 4)              │             0 │',
      '│ re_lu_2 (ReLU)                  │ (None, 4)              │             0 │',
      '│ elu (ELU)                       │ (None, 4)              │             0 │',
      '│ leaky_re_lu_1 (LeakyReLU)       │ (None, 4)              │             0 │',
      '│ softmax (Softmax)               │ (None, 4)              │             0 │',
      '└─────────────────────────────────┴────────────────────────┴───────────────┘',
    ]);
  });

  it('exports Keras code with the layer classes and reads it back to the same layers', () => {
    const code = exportKerasCode(src.built, DEFAULT_TRAINING);
    const calls = code.split('\n').filter((l) => /^ {8}layers\./.test(l));
    expect(calls.map((l) => l.trim())).toEqual([
      'layers.Dense(4),',
      'layers.ReLU(),',
      'layers.LeakyReLU(),',
      'layers.Activation("relu"),',
      'layers.ReLU(negative_slope=0.1),',
      'layers.ReLU(max_value=6),',
      'layers.ELU(alpha=0.5),',
      'layers.LeakyReLU(negative_slope=0.2),',
      'layers.Softmax(),',
    ]);
    expect(importKerasCode(code).model.layers).toEqual(src.model.layers);
  });

  it('exports Keras 3 JSON with each class and its config, and reads it back to the same layers', () => {
    const text = exportKerasJson(src.built);
    const layers = (JSON.parse(text).config.layers as JsonLayer[]).slice(2);
    const fields = (l: JsonLayer, keys: string[]) => [l.class_name, ...keys.map((k) => l.config[k])];
    const relu = ['max_value', 'negative_slope', 'threshold'];
    expect([
      fields(layers[0], relu),
      fields(layers[1], ['negative_slope']),
      fields(layers[2], ['activation']),
      fields(layers[3], relu),
      fields(layers[4], relu),
      fields(layers[5], ['alpha']),
      fields(layers[6], ['negative_slope']),
      fields(layers[7], ['axis']),
    ]).toEqual([
      ['ReLU', null, 0, 0],
      ['LeakyReLU', 0.3],
      ['Activation', 'relu'],
      ['ReLU', null, 0.1, 0],
      ['ReLU', 6, 0, 0],
      ['ELU', 0.5],
      ['LeakyReLU', 0.2],
      ['Softmax', -1],
    ]);
    expect(layers[0].config.name).toBe('re_lu');
    expect(importKerasJson(text).model.layers).toEqual(src.model.layers);
  });

  it("writes TF.js's layers: ReLU with max_value, a ReLU slope as LeakyReLU, Softmax", () => {
    // TF.js's ELU takes alpha=1 only (refused otherwise, tested with the TF.js oracle).
    const { built } = importKerasCode(SEQUENTIAL.replace('ELU(alpha=0.5)', 'ELU()'));
    const topo = tfjsTopology(built) as { config: { layers: JsonLayer[] } };
    expect(topo.config.layers.slice(1).map((l) => [l.class_name, l.config.name])).toEqual([
      ['ReLU', 're_lu'],
      ['LeakyReLU', 'leaky_re_lu'],
      ['Activation', 'activation'],
      ['LeakyReLU', 're_lu_1'],
      ['ReLU', 're_lu_2'],
      ['ELU', 'elu'],
      ['LeakyReLU', 'leaky_re_lu_1'],
      ['Softmax', 'softmax'],
    ]);
    const [relu, , , slope, relu6] = topo.config.layers.slice(1);
    expect([relu.config.max_value, slope.config.alpha, relu6.config.max_value]).toEqual([null, 0.1, 6]);
    // Read back, a TF.js ReLU with a slope is a LeakyReLU: the same function, under TF.js's class.
    const back = importKerasJson(JSON.stringify({ modelTopology: topo }));
    expect(back.model.layers.map((l) => l.config)).toEqual(
      built.layers.map(({ layer: { config } }) =>
        config.name === 're_lu_1' ? { ...config, form: 'LeakyReLU' } : config,
      ),
    );
  });

  it('names them by stem in JSON without names, as Keras does', () => {
    const r = importKerasJson(
      JSON.stringify({
        class_name: 'Sequential',
        config: {
          layers: [
            { class_name: 'InputLayer', config: { batch_input_shape: [null, 5] } },
            { class_name: 'ReLU', config: {} },
            { class_name: 'Softmax', config: { axis: -1 } },
            { class_name: 'ReLU', config: { max_value: null, negative_slope: 0, threshold: 0 } },
            { class_name: 'ELU', config: { alpha: 1 } },
          ],
        },
      }),
    );
    expect(names(r)).toEqual(['re_lu', 'softmax', 're_lu_1', 'elu']);
    expect(summarize(r.built).rows.map((row) => row.className)).toEqual(['ReLU', 'Softmax', 'ReLU', 'ELU']);
  });

  it('keeps an Activation with a slope and no form (models saved before) a LeakyReLU / ELU', () => {
    const built = buildSequential(
      [
        { className: 'Activation', config: { name: '', activation: 'leaky_relu', alpha: 0.1 } },
        { className: 'Activation', config: { name: '', activation: 'elu', alpha: 0.5 } },
        { className: 'Activation', config: { name: '', activation: 'leaky_relu' } },
      ].map((l, i) => ({ ...l, config: { ...l.config, name: `a${i}` } }) as Layer),
      [3],
    );
    expect(summarize(built).rows.map((r) => r.className)).toEqual(['LeakyReLU', 'ELU', 'Activation']);
  });
});

describe('activation layers in the functional API', () => {
  const CODE = [
    'inputs = keras.Input(shape=(6,))',
    'a = layers.Dense(4)(inputs)',
    'a = layers.ReLU()(a)',
    'b = layers.Dense(4)(inputs)',
    'b = layers.Activation("relu")(b)',
    'b = layers.ReLU(max_value=6)(b)',
    'x = layers.Add()([a, b])',
    'x = layers.LeakyReLU(0.1)(x)',
    'outputs = layers.Softmax()(layers.Dense(3)(x))',
    'model = keras.Model(inputs, outputs)',
  ].join('\n');
  const src = importKerasCode(CODE);

  it('names and summarizes them as Keras 3, with their connections', () => {
    const rows = summarize(src.built).rows.map((r) => [`${r.name} (${r.className})`, r.connectedTo]);
    expect(rows).toEqual([
      ['input_layer (InputLayer)', '-'],
      // Keras's order: by depth from the output (the longer branch first), then by first visit.
      ['dense_1 (Dense)', 'input_layer[0][0]'],
      ['dense (Dense)', 'input_layer[0][0]'],
      ['activation (Activation)', 'dense_1[0][0]'],
      ['re_lu (ReLU)', 'dense[0][0]'],
      ['re_lu_1 (ReLU)', 'activation[0][0]'],
      ['add (Add)', 're_lu[0][0], re_lu_1[0][0]'],
      ['leaky_re_lu (LeakyReLU)', 'add[0][0]'],
      ['dense_2 (Dense)', 'leaky_re_lu[0][0]'],
      ['softmax (Softmax)', 'dense_2[0][0]'],
    ]);
  });

  it('round-trips through code and Keras 3 JSON with the same graph and layers', () => {
    const graph = (r: ReturnType<typeof importKerasCode>) =>
      r.built.layers.map((l) => [l.layer.config.name, l.inbound, l.outputShape]);
    const code = exportKerasCode(src.built, DEFAULT_TRAINING);
    expect(code).toContain('re_lu_1 = layers.ReLU(max_value=6)(activation)');
    expect(code).toContain('softmax = layers.Softmax()(dense_2)');
    for (const back of [importKerasCode(code), importKerasJson(exportKerasJson(src.built))]) {
      expect(graph(back)).toEqual(graph(src));
      expect(back.model.layers).toEqual(src.model.layers);
    }
  });

  it('places each on its line of the code for the linked hover', () => {
    const lines = layerLines(CODE, src.built);
    const lineOf = (needle: string) => CODE.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect([lines.get('re_lu'), lines.get('re_lu_1'), lines.get('activation'), lines.get('softmax')]).toEqual(
      [lineOf('ReLU()(a)'), lineOf('ReLU(max_value=6)'), lineOf('Activation("relu")'), lineOf('Softmax()')],
    );
  });
});

// A layer object used twice is one layer with one set of weights in Keras (a shared layer); Paperweight builds
// each layer once, so it refuses the second use where it stands instead of silently making a second layer.
// Models with several inputs or outputs are refused with the reason (a dataset gives one input and one label).
import { describe, expect, it } from 'vitest';
import { exportKerasJson, importKerasCode, importKerasJson } from '../../src/keras';
import { codeRefusal, importRefusal } from '../helpers/keras';

const SHARED = 'shared layers (one set of weights used in two places) are not supported yet';
const names = (src: string) => importKerasCode(src).built.layers.map((l) => l.layer.config.name);

describe('shared layers in the functional API', () => {
  it('refuses a layer object called on two tensors at the second call', () => {
    const e = codeRefusal(`inp = keras.Input(shape=(8,))
a = layers.Dense(8)(inp)
b = layers.Dense(8)(inp)
d = layers.Dense(8)
y1 = d(a)
y2 = d(b)
model = keras.Model(inp, layers.Add()([y1, y2]))`);
    expect([e.line, e.column]).toEqual([6, 6]);
    expect(e.message).toBe(
      `line 6, column 6: layer dense_2 is called twice; ${SHARED}: make a second layer for the second call`,
    );
  });

  it('refuses it through a helper function, and a Sequential block called twice', () => {
    let e = codeRefusal(
      'inp = keras.Input(shape=(8,))\nd = layers.Dense(8)\ndef f(x):\n    return d(x)\ny = f(f(inp))\nmodel = keras.Model(inp, y)',
    );
    expect([e.line, e.column, e.message.includes('layer dense is called twice')]).toEqual([4, 12, true]);
    e = codeRefusal(
      'blk = keras.Sequential([layers.Dense(8)])\ninp = keras.Input(shape=(8,))\ny = blk(blk(inp))\nmodel = keras.Model(inp, y)',
    );
    expect(e.message).toBe(
      `line 3, column 9: model blk is called twice; ${SHARED}: build a second model for the second call`,
    );
  });

  it('builds a layer made inside a helper once per call of the helper (two layers, as in Keras)', () => {
    expect(
      names(
        'inp = keras.Input(shape=(8,))\ndef f(x):\n    d = layers.Dense(8)\n    return d(x)\nmodel = keras.Model(inp, f(f(inp)))',
      ),
    ).toEqual(['dense', 'dense_1']);
  });
});

describe('shared layers in a Sequential model', () => {
  it('refuses the same layer object in the list or added twice, at the second one', () => {
    let e = codeRefusal('d = Dense(8)\nmodel = Sequential([Input(shape=(8,)), d, d])');
    expect(e.message).toBe(
      `line 2, column 43: layer 'd' is added to the model twice; ${SHARED}: make a second layer, e.g. Dense(...)`,
    );
    e = codeRefusal(
      'model = Sequential()\nmodel.add(Input(shape=(8,)))\nd = Dense(8)\nfor i in range(3):\n    model.add(d)',
    );
    expect([e.line, e.column]).toEqual([5, 15]);
  });

  it('still reads a name bound to a new layer each time, loops of new layers and activation objects', () => {
    expect(
      names(
        'model = Sequential()\nmodel.add(Input(shape=(8,)))\nd = Dense(8)\nmodel.add(d)\nd = Dense(8)\nmodel.add(d)',
      ),
    ).toEqual(['dense', 'dense_1']);
    expect(
      names(
        'model = Sequential()\nmodel.add(Input(shape=(8,)))\nfor i in range(2):\n    d = Dense(8)\n    model.add(d)',
      ),
    ).toEqual(['dense', 'dense_1']);
    // An activation= object is applied inside each layer it is given to: no layer of its own in Keras.
    expect(
      names(
        'a = LeakyReLU(0.1)\nmodel = Sequential([Input(shape=(8,)), Dense(8, activation=a), Dense(4, activation=a)])',
      ),
    ).toEqual(['dense', 'leaky_re_lu', 'dense_1', 'leaky_re_lu_1']);
  });
});

describe('shared layers and several inputs or outputs in Keras JSON', () => {
  const src = importKerasCode(
    'inp = keras.Input(shape=(6,))\na = layers.Dense(4)(inp)\nb = layers.Dense(4)(inp)\nmodel = keras.Model(inp, layers.Add()([a, b]))',
  );
  type K3 = {
    config: {
      layers: { name: string; inbound_nodes: { args: { config: { keras_history: unknown[] } }[][] }[] }[];
      input_layers: unknown[];
      output_layers: unknown[];
    };
  };
  const json = () => JSON.parse(exportKerasJson(src.built)) as K3;

  it('refuses a Keras 3 layer with two inbound nodes, and a tensor of a second node', () => {
    const twice = json();
    const dense = twice.config.layers.find((l) => l.name === 'dense')!;
    dense.inbound_nodes.push(dense.inbound_nodes[0]);
    expect(importRefusal(() => importKerasJson(JSON.stringify(twice))).message).toBe(
      `layer 2 'dense' (Dense) is called 2 times; ${SHARED}: save the model with a layer per call`,
    );
    const second = json();
    const add = second.config.layers.find((l) => l.name === 'add')!;
    add.inbound_nodes[0].args[0][1].config.keras_history = ['dense', 1, 0];
    expect(importRefusal(() => importKerasJson(JSON.stringify(second))).message).toBe(
      `layer 4 'add' (Add): reads ["dense",1,0]; ${SHARED}: save the model with a layer per call`,
    );
    expect(importKerasJson(JSON.stringify(json())).built.paramCount).toBe(2 * (6 * 4 + 4));
  });

  it('refuses two inputs or two outputs with the reason', () => {
    const two = json();
    two.config.output_layers = [
      ['dense', 0, 0],
      ['dense_1', 0, 0],
    ];
    expect(importRefusal(() => importKerasJson(JSON.stringify(two))).message).toBe(
      'the model has 2 outputs; Paperweight builds models with one input and one output (a dataset here gives ' +
        'each sample one input tensor and one label): keep one output',
    );
    const inputs = json();
    inputs.config.input_layers = [
      ['input_layer', 0, 0],
      ['input_layer', 0, 0],
    ];
    expect(importRefusal(() => importKerasJson(JSON.stringify(inputs))).message).toContain(
      'the model has 2 inputs; Paperweight builds models with one input and one output',
    );
  });
});

describe('several inputs or outputs in code', () => {
  it('refuses Model(inputs=[a, b], outputs=[y1, y2]) at the list, with the reason and the fix', () => {
    const e = codeRefusal(
      'a = keras.Input(shape=(8,))\nb = keras.Input(shape=(8,))\ny1 = layers.Dense(2)(a)\ny2 = layers.Dense(3)(b)\n' +
        'model = keras.Model(inputs=[a, b], outputs=[y1, y2])',
    );
    expect(e.message).toBe(
      'line 5, column 28: the model has 2 inputs; Paperweight builds models with one input and one output (a ' +
        'dataset here gives each sample one input tensor and one label): give the model one keras.Input',
    );
    const out = codeRefusal(
      'inp = keras.Input(shape=(8,))\ny1 = layers.Dense(2)(inp)\ny2 = layers.Dense(3)(inp)\n' +
        'model = keras.Model(inputs=inp, outputs=[y1, y2])',
    );
    expect([out.line, out.column, out.message.endsWith('keep one output')]).toEqual([4, 41, true]);
  });

  it('refuses an output that depends on a second Input', () => {
    const e = codeRefusal(
      'a = keras.Input(shape=(8,))\nb = keras.Input(shape=(8,))\ny = layers.Add()([a, b])\nmodel = keras.Model(a, y)',
    );
    expect(e.message).toContain("the output depends on the input 'input_layer_1'");
  });
});

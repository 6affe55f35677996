// `for` loops that add layers, run pass by pass when the code lists what they iterate over.
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { codeRefusal } from '../helpers/keras';

const rows = (src: string) =>
  importKerasCode(src).built.layers.map((l) => [l.layer.className, l.outputShape, l.paramCount]);

describe('Keras code import: loops', () => {
  it('over a literal list: one block per filter count', () => {
    const src = [
      'model = Sequential([Input(shape=(16, 16, 3))])',
      'for filters in [8, 16]:',
      "    model.add(Conv2D(filters, 3, padding='same', activation='relu'))",
      '    model.add(MaxPooling2D())',
      'model.add(Flatten())',
      'model.add(Dense(10))',
    ].join('\n');
    expect(rows(src)).toEqual([
      ['Conv2D', [16, 16, 8], 3 * 3 * 3 * 8 + 8], // 224
      ['MaxPooling2D', [8, 8, 8], 0],
      ['Conv2D', [8, 8, 16], 3 * 3 * 8 * 16 + 16], // 1168
      ['MaxPooling2D', [4, 4, 16], 0],
      ['Flatten', [256], 0],
      ['Dense', [10], 256 * 10 + 10], // 2570
    ]);
  });

  it('range(n), enumerate and zip, with names bound earlier', () => {
    const src = [
      'n_hidden = 3',
      'widths = [32, 16, 8]',
      'model = Sequential([Input(shape=(4,))])',
      'for i in range(n_hidden):',
      '    model.add(Dense(12))',
      'for i, w in enumerate(widths):',
      '    model.add(Dense(w))',
      'for w, rate in zip([6, 5], [0.1, 0.2]):',
      '    model.add(Dense(w))',
      '    model.add(Dropout(rate))',
    ].join('\n');
    const r = importKerasCode(src);
    expect(r.built.layers.map((l) => l.outputShape[0])).toEqual([12, 12, 12, 32, 16, 8, 6, 6, 5, 5]);
    expect(r.model.layers.filter((l) => l.className === 'Dropout').map((l) => l.config)).toMatchObject([
      { rate: 0.1 },
      { rate: 0.2 },
    ]);
    // (4*12+12) + 2*(12*12+12) + (12*32+32) + (32*16+16) + (16*8+8) + (8*6+6) + (6*5+5)
    // = 60 + 312 + 416 + 528 + 136 + 54 + 35 = 1541
    expect(r.built.paramCount).toBe(1541);
  });

  it('a conditional expression on the loop variables picks the strides; a tuple comparison picks the shortcut', () => {
    const src = [
      'inputs = keras.Input(shape=(8, 8, 4))',
      'x = inputs',
      'for i, filters in enumerate([4, 8]):',
      '    strides = (2, 2) if (i > 0 and filters != 4) else (1, 1)',
      '    shortcut = x',
      "    y = layers.Conv2D(filters, 3, strides=strides, padding='same')(x)",
      '    if strides != (1, 1):',
      '        shortcut = layers.Conv2D(filters, 1, strides=strides)(shortcut)',
      '    x = layers.add([y, shortcut])',
      'model = keras.Model(inputs, x)',
    ].join('\n');
    expect(rows(src)).toEqual([
      ['Conv2D', [8, 8, 4], 3 * 3 * 4 * 4 + 4], // 148, strides (1, 1): no projection
      ['Add', [8, 8, 4], 0],
      ['Conv2D', [4, 4, 8], 3 * 3 * 4 * 8 + 8], // 296, strides (2, 2)
      ['Conv2D', [4, 4, 8], 4 * 8 + 8], // the 1x1 projection: 40
      ['Add', [4, 4, 8], 0],
    ]);
  });

  it('a loop with break, or over something unknown, is still refused at the layer', () => {
    for (const src of [
      'model = Sequential()\nfor f in [8, 16]:\n    model.add(Dense(f))\n    break',
      'model = Sequential()\nfor f in sizes:\n    model.add(Dense(f))',
    ]) {
      const e = codeRefusal(src);
      expect([e.line, e.column]).toEqual([3, 15]);
    }
  });
});

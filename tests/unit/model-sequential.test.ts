import { describe, expect, it } from 'vitest';
import {
  Conv2D,
  Dense,
  Flatten,
  fans,
  initialWeights,
  MaxPooling2D,
  paperLeNet5,
  Sequential,
  summarize,
  summaryText,
} from '../../src/model';
import { LENET_WEIGHT_NAMES } from './lenet-names';

describe('Sequential shape inference and summary', () => {
  it('the paper-figure LeNet-5 has Keras shapes, names and 51,902 parameters', () => {
    const m = paperLeNet5().build();
    expect(m.paramCount).toBe(51902);
    const s = summarize(m);
    expect(s.rows.map((r) => [r.name, r.className, r.outputShape, r.params])).toEqual([
      ['conv2d', 'Conv2D', '(None, 28, 28, 6)', 156],
      ['max_pooling2d', 'MaxPooling2D', '(None, 14, 14, 6)', 0],
      ['conv2d_1', 'Conv2D', '(None, 10, 10, 16)', 2416],
      ['max_pooling2d_1', 'MaxPooling2D', '(None, 5, 5, 16)', 0],
      ['flatten', 'Flatten', '(None, 400)', 0],
      ['dense', 'Dense', '(None, 120)', 48120],
      ['dropout', 'Dropout', '(None, 120)', 0],
      ['dense_1', 'Dense', '(None, 10)', 1210],
    ]);
    const text = summaryText(s);
    expect(text).toContain('Total params: 51,902 (202.74 KB)');
    expect(text).toContain('│ conv2d_1 (Conv2D)');
  });

  it("'same' padding and strides follow Keras: ceil(in / stride)", () => {
    const m = new Sequential(
      [Conv2D({ filters: 5, kernel_size: 3, strides: 2, padding: 'same' }), Flatten(), Dense({ units: 3 })],
      'm',
      [7, 9, 3],
    ).build();
    expect(m.layers[0].outputShape).toEqual([4, 5, 5]);
    expect(m.layers[0].paramCount).toBe(3 * 3 * 3 * 5 + 5);
  });

  it('a kernel larger than its input names the layer, the shapes and a fix', () => {
    const model = new Sequential(
      [Conv2D({ filters: 4, kernel_size: 5 }), MaxPooling2D(), Conv2D({ filters: 4, kernel_size: 5 })],
      's',
      [12, 12, 1],
    );
    expect(() => model.build()).toThrow(
      "kernel 5x5 is larger than the 4x4 input of conv2d_1; use padding='same' or a smaller kernel",
    );
  });

  it('Dense on an image acts on the last axis, as Keras; a missing input shape says how to give one', () => {
    const m = new Sequential([Dense({ units: 3 })], 's', [4, 5, 2]).build();
    expect(m.layers[0].outputShape).toEqual([4, 5, 3]);
    // The kernel maps the 2 channels to 3 units, shared by all 4x5 positions: 2*3 + 3.
    expect(m.layers[0].params.map((p) => p.shape)).toEqual([[2, 3], [3]]);
    expect(m.paramCount).toBe(9);
    expect(() => new Sequential([Dense({ units: 3 })]).build()).toThrow(/input_shape=/);
  });

  it('glorot_uniform draws within Keras limits; fans count the receptive field', () => {
    expect(fans([5, 5, 6, 16])).toEqual([150, 400]);
    const m = paperLeNet5().build();
    const w = initialWeights(m, 7);
    expect(w.map((x) => x.name)).toEqual(LENET_WEIGHT_NAMES);
    const k = w[2].data;
    const limit = Math.sqrt(6 / (150 + 400));
    expect(Math.max(...k)).toBeLessThanOrEqual(limit);
    expect(Math.min(...k)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...k)).toBeGreaterThan(limit * 0.9);
    expect(w[1].data.every((v) => v === 0)).toBe(true);
    expect(initialWeights(m, 7)[2].data).toEqual(k);
  });
});

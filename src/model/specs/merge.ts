// Merge layers, called on a list of tensors: Add, Subtract, Multiply, Average, Maximum, Concatenate(axis).
import type { Layer } from '../layers';
import { ShapeError, shapeText } from '../shapes';
import { cfg, type LayerSpec } from './spec';

type Elementwise = 'Add' | 'Subtract' | 'Multiply' | 'Average' | 'Maximum';

function needInputs(layer: Layer, inputs: number[][], exactly?: number): void {
  const n = inputs.length;
  const name = layer.config.name;
  if (exactly !== undefined && n !== exactly) {
    throw new ShapeError(
      `${name} (${layer.className}) takes exactly ${exactly} inputs and is called on ${n}; call it on a list ` +
        'such as [a, b]',
      name,
    );
  }
  if (n < 2) {
    throw new ShapeError(
      `${name} (${layer.className}) merges a list of at least 2 tensors and is called on ${n}; call it as ` +
        `${layer.className}()([a, b])`,
      name,
    );
  }
}

function elementwise(className: Elementwise): LayerSpec {
  return {
    className,
    layerClass: className,
    positional: [],
    merge: true,
    read: () => ({ className, config: { name: '' } }),
    config: () => ({}),
    defaults: () => ({}),
    outputShape(layer, inputs) {
      needInputs(layer, inputs, className === 'Subtract' ? 2 : undefined);
      const first = inputs[0];
      const other = inputs.find((s) => s.join() !== first.join());
      if (other) {
        throw new ShapeError(
          `${layer.config.name} (${className}) needs inputs of one shape and gets ` +
            `${inputs.map(shapeText).join(' and ')}; make the branches agree (e.g. a 1x1 Conv2D on the shortcut)`,
          layer.config.name,
        );
      }
      return [...first];
    },
  };
}

export const addSpec = elementwise('Add');
export const subtractSpec = elementwise('Subtract');
export const multiplySpec = elementwise('Multiply');
export const averageSpec = elementwise('Average');
export const maximumSpec = elementwise('Maximum');

export const concatenateSpec: LayerSpec = {
  className: 'Concatenate',
  layerClass: 'Concatenate',
  positional: ['axis'],
  merge: true,
  read: (r) => ({ className: 'Concatenate', config: { name: '', axis: r.int('axis', -100) ?? -1 } }),
  config: (layer) => ({ axis: cfg(layer, 'Concatenate').axis }),
  defaults: () => ({ axis: -1 }),
  outputShape(layer, inputs) {
    needInputs(layer, inputs);
    const c = cfg(layer, 'Concatenate');
    const rank = inputs[0].length;
    // Keras counts the batch axis: axis 3 of (None, h, w, c) is the channels; -1 is the last.
    const ax = c.axis < 0 ? rank + c.axis : c.axis - 1;
    const bad = (why: string): never => {
      throw new ShapeError(
        `${c.name} (Concatenate) along axis ${c.axis} of ${inputs.map(shapeText).join(' and ')}: ${why}`,
        c.name,
      );
    };
    if (ax < 0 || ax >= rank) bad('no such axis (the batch axis cannot be concatenated); use axis=-1');
    for (const s of inputs) {
      if (s.length !== rank || s.some((d, i) => i !== ax && d !== inputs[0][i])) {
        bad('the other axes must agree');
      }
    }
    const out = [...inputs[0]];
    out[ax] = inputs.reduce((a, s) => a + s[ax], 0);
    return out;
  },
};

// Shapes on the CPU first: each layer's output shape and parameter shapes from its input shape, with errors
// that name the layer, the shapes and the fix. Shapes here have no batch axis. Each layer's own shape rule is
// in its spec (specs/); these are the pieces they share.
import type { InitializerName } from './initializers';
import type { Layer, Padding } from './layers';

export const shapeText = (s: readonly number[]) => `(${s.join(', ')})`;
export const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

export class ShapeError extends Error {
  constructor(
    message: string,
    readonly layerName: string,
  ) {
    super(message);
    this.name = 'ShapeError';
  }
}

export interface ParamSpec {
  /**
   * Keras weight name within the layer ('kernel', 'bias', 'gamma', 'beta', 'moving_mean', 'moving_variance',
   * 'depthwise_kernel', ...); the full Keras name is `${layer}/${name}`.
   */
  name: string;
  shape: number[];
  initializer: InitializerName;
  /**
   * False for state the optimizer never touches (BatchNormalization's moving mean and variance): counted as
   * non-trainable in the summary, updated by the layer's own forward in training mode. Absent means true.
   */
  trainable?: boolean;
}

const fmt = (s: readonly number[]) => s.join('x');

export function convOutSize(input: number, k: number, stride: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.floor((input - k) / stride) + 1;
}

export function spatial(layer: Layer, input: number[], what: string): [number, number, number] {
  if (input.length !== 3) {
    throw new ShapeError(
      `${layer.config.name} (${layer.className}) needs an image input (height, width, channels) but gets a ` +
        `vector of shape (${input.join(', ')}); ${what}`,
      layer.config.name,
    );
  }
  return [input[0], input[1], input[2]];
}

export function windowed(
  layer: Layer,
  input: number[],
  k: [number, number],
  strides: [number, number],
  padding: Padding,
  noun: string,
): [number, number, number] {
  const [h, w, c] = spatial(layer, input, 'put it before Flatten, or give the model an image input_shape');
  if (padding === 'valid' && (k[0] > h || k[1] > w)) {
    throw new ShapeError(
      `${noun} ${fmt(k)} is larger than the ${h}x${w} input of ${layer.config.name}; use padding='same' or a ` +
        `smaller ${noun}`,
      layer.config.name,
    );
  }
  if (strides[0] < 1 || strides[1] < 1 || k[0] < 1 || k[1] < 1) {
    throw new ShapeError(
      `${layer.config.name}: ${noun} ${fmt(k)} with strides ${fmt(strides)} is invalid; sizes and strides must be at least 1`,
      layer.config.name,
    );
  }
  const oh = convOutSize(h, k[0], strides[0], padding);
  const ow = convOutSize(w, k[1], strides[1], padding);
  return [oh, ow, c];
}

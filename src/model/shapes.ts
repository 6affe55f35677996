// Shapes on the CPU first: each layer's output shape and parameter shapes from its input shape, with errors
// that name the layer, the shapes and the fix. Shapes here have no batch axis.
import type { InitializerName } from './initializers';
import type { Layer, Padding } from './layers';

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

function spatial(layer: Layer, input: number[], what: string): [number, number, number] {
  if (input.length !== 3) {
    throw new ShapeError(
      `${layer.config.name} (${layer.className}) needs an image input (height, width, channels) but gets a ` +
        `vector of shape (${input.join(', ')}); ${what}`,
      layer.config.name,
    );
  }
  return [input[0], input[1], input[2]];
}

function windowed(
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

/** Output shape of `layer` for `input` (no batch axis). Throws ShapeError with a fix when impossible. */
export function outputShape(layer: Layer, input: number[]): number[] {
  switch (layer.className) {
    case 'InputLayer':
      return [...layer.config.shape];
    case 'Conv2D': {
      const c = layer.config;
      if (c.filters < 1)
        throw new ShapeError(`${c.name}: filters must be at least 1, got ${c.filters}`, c.name);
      const [oh, ow] = windowed(layer, input, c.kernel_size, c.strides, c.padding, 'kernel');
      return [oh, ow, c.filters];
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const c = layer.config;
      return windowed(layer, input, c.pool_size, c.strides, c.padding, 'pool size');
    }
    case 'ZeroPadding2D': {
      const [h, w, ch] = spatial(layer, input, 'put it before Flatten');
      const [[t, b], [l, r]] = layer.config.padding;
      return [h + t + b, w + l + r, ch];
    }
    case 'GlobalAveragePooling2D': {
      const [, , ch] = spatial(layer, input, 'put it before Flatten');
      return [ch];
    }
    case 'Flatten':
      return [input.reduce((a, b) => a * b, 1)];
    case 'Dense': {
      const c = layer.config;
      if (c.units < 1) throw new ShapeError(`${c.name}: units must be at least 1, got ${c.units}`, c.name);
      if (input.length !== 1) {
        throw new ShapeError(
          `${c.name} (Dense) gets a ${input.length}-D input (${input.join(', ')}); add Flatten() before it ` +
            `(Paperweight's Dense acts on vectors)`,
          c.name,
        );
      }
      return [c.units];
    }
    case 'Dropout': {
      const c = layer.config;
      if (!(c.rate >= 0 && c.rate < 1)) {
        throw new ShapeError(`${c.name}: dropout rate must be in [0, 1), got ${c.rate}`, c.name);
      }
      return [...input];
    }
    case 'Activation':
      return [...input];
  }
}

/** Trainable parameters of `layer` for `input`, in Keras order (kernel, then bias). */
export function paramSpecs(layer: Layer, input: number[]): ParamSpec[] {
  if (layer.className === 'Conv2D') {
    const c = layer.config;
    const specs: ParamSpec[] = [
      {
        name: 'kernel',
        shape: [c.kernel_size[0], c.kernel_size[1], input[2], c.filters],
        initializer: c.kernel_initializer,
      },
    ];
    if (c.use_bias) specs.push({ name: 'bias', shape: [c.filters], initializer: c.bias_initializer });
    return specs;
  }
  if (layer.className === 'Dense') {
    const c = layer.config;
    const specs: ParamSpec[] = [
      { name: 'kernel', shape: [input[0], c.units], initializer: c.kernel_initializer },
    ];
    if (c.use_bias) specs.push({ name: 'bias', shape: [c.units], initializer: c.bias_initializer });
    return specs;
  }
  return [];
}

// Float64 forward pass of a built model through src/reference, for comparing against other implementations
// (TF.js, the WGSL trainer). Dropout is the identity, as at inference.
import type { BuiltModel, NamedWeight } from '../../src/model';
import { activationForward } from '../../src/reference/activations';
import { conv2dForward } from '../../src/reference/conv2d';
import { denseForward } from '../../src/reference/dense';
import { pool2dForward } from '../../src/reference/pool2d';
import { type Tensor, tensor } from '../../src/reference/tensor';

function zeroPad(x: Tensor, [[t, b], [l, r]]: [number, number][]): Tensor {
  const [n, h, w, c] = x.shape;
  const oh = h + t + b;
  const ow = w + l + r;
  const y = tensor([n, oh, ow, c]);
  for (let i = 0; i < n; i++)
    for (let yy = 0; yy < h; yy++)
      for (let xx = 0; xx < w; xx++)
        for (let k = 0; k < c; k++) {
          y.data[((i * oh + yy + t) * ow + xx + l) * c + k] = x.data[((i * h + yy) * w + xx) * c + k];
        }
  return y;
}

function globalAvg(x: Tensor): Tensor {
  const [n, h, w, c] = x.shape;
  const y = tensor([n, c]);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < h * w; p++)
      for (let k = 0; k < c; k++) y.data[i * c + k] += x.data[(i * h * w + p) * c + k] / (h * w);
  return y;
}

/** x: [N, ...inputShape]; returns the model's output [N, ...]. */
export function referenceForward(model: BuiltModel, weights: NamedWeight[], x: Tensor): Tensor {
  const w = new Map(weights.map((nw) => [nw.name, nw]));
  const param = (layer: string, p: string): Tensor => {
    const nw = w.get(`${layer}/${p}`);
    if (!nw) throw new Error(`missing weight ${layer}/${p}`);
    return tensor(nw.shape, nw.data);
  };
  let h = x;
  const n = x.shape[0];
  for (const { layer } of model.layers) {
    switch (layer.className) {
      case 'Conv2D': {
        const c = layer.config;
        const bias = c.use_bias ? param(c.name, 'bias').data : null;
        h = conv2dForward(h, param(c.name, 'kernel'), bias, { strides: c.strides, padding: c.padding });
        h = activationForward(c.activation, h);
        break;
      }
      case 'Dense': {
        const c = layer.config;
        const bias = c.use_bias ? param(c.name, 'bias').data : null;
        h = activationForward(c.activation, denseForward(h, param(c.name, 'kernel'), bias));
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const c = layer.config;
        const mode = layer.className === 'MaxPooling2D' ? 'max' : 'avg';
        h = pool2dForward(h, { mode, poolSize: c.pool_size, strides: c.strides, padding: c.padding });
        break;
      }
      case 'Flatten':
        h = { shape: [n, h.data.length / n], data: h.data };
        break;
      case 'Activation':
        h = activationForward(layer.config.activation, h, layer.config.alpha);
        break;
      case 'ZeroPadding2D':
        h = zeroPad(h, layer.config.padding);
        break;
      case 'GlobalAveragePooling2D':
        h = globalAvg(h);
        break;
      case 'Dropout':
      case 'InputLayer':
        break;
    }
  }
  return h;
}

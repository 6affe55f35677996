// What a whole layer computes, assembled from the float64 reference ops: the expected values of a harness run.

import { dropoutSeed } from '../../src/ops/dropout';
import { type ActivationName, activationBackward, activationForward } from '../../src/reference/activations';
import { conv2dBackward, conv2dForward } from '../../src/reference/conv2d';
import { denseBackward, denseForward } from '../../src/reference/dense';
import { dropoutBackward, dropoutForward, dropoutMask } from '../../src/reference/dropout';
import { pool2dBackward, pool2dForward } from '../../src/reference/pool2d';
import { type Tensor, tensor } from '../../src/reference/tensor';
import type { OpCase, OpRun } from './harness';

export interface LayerReference {
  y: Tensor;
  dX: Tensor;
  dKernel?: Tensor;
  dBias?: Float64Array;
}

function act(name: string, softmaxInLoss: boolean): ActivationName {
  return (softmaxInLoss && name === 'softmax' ? 'linear' : name) as ActivationName;
}

/** y = act(z) and dZ = act'(z) dY, the activation part of Conv2D / Dense. */
function withActivation(name: ActivationName, z: Tensor, dY: Tensor, alpha?: number) {
  const y = activationForward(name, z, alpha);
  return { y, dZ: activationBackward(name, z, y, dY, alpha) };
}

export function referenceLayer(run: OpRun, c: OpCase): LayerReference {
  const { x, dY, kernel, bias } = run;
  const layer = run.built.layer;
  const inLoss = c.softmaxInLoss ?? false;
  switch (layer.className) {
    case 'Dense': {
      const z = denseForward(x, kernel!, bias);
      const { y, dZ } = withActivation(act(layer.config.activation, inLoss), z, dY);
      return { y, ...denseBackward(x, kernel!, dZ), ...(bias ? {} : { dBias: undefined }) };
    }
    case 'Conv2D': {
      const cfg = layer.config;
      const opts = { strides: cfg.strides, padding: cfg.padding };
      const z = conv2dForward(x, kernel!, bias, opts);
      const { y, dZ } = withActivation(act(cfg.activation, inLoss), z, dY);
      return { y, ...conv2dBackward(x, kernel!, dZ, opts), ...(bias ? {} : { dBias: undefined }) };
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const cfg = layer.config;
      const opts = {
        mode: layer.className === 'MaxPooling2D' ? ('max' as const) : ('avg' as const),
        poolSize: cfg.pool_size,
        strides: cfg.strides,
        padding: cfg.padding,
      };
      return { y: pool2dForward(x, opts), dX: pool2dBackward(x, dY, opts) };
    }
    case 'Activation': {
      const cfg = layer.config;
      const name = act(cfg.activation, inLoss);
      const y = activationForward(name, x, cfg.alpha);
      return { y, dX: activationBackward(name, x, y, dY, cfg.alpha) };
    }
    case 'Flatten':
      return { y: x, dX: dY };
    case 'Dropout': {
      const rate = c.inference ? 0 : layer.config.rate;
      const seed = dropoutSeed(c.runSeed ?? 42, c.layerIndex ?? 0, c.step ?? 0);
      const mask = dropoutMask(x.data.length, rate, seed);
      return { y: dropoutForward(x, mask, rate), dX: dropoutBackward(dY, mask, rate) };
    }
    case 'ZeroPadding2D': {
      const [n, h, w, ch] = x.shape;
      const [[t, b], [l, r]] = layer.config.padding;
      const oh = h + t + b;
      const ow = w + l + r;
      const y = tensor([n, oh, ow, ch]);
      const dX = tensor(x.shape);
      for (let i = 0; i < n; i++)
        for (let yy = 0; yy < h; yy++)
          for (let xx = 0; xx < w; xx++)
            for (let k = 0; k < ch; k++) {
              const src = ((i * h + yy) * w + xx) * ch + k;
              const dst = ((i * oh + yy + t) * ow + xx + l) * ch + k;
              y.data[dst] = x.data[src];
              dX.data[src] = dY.data[dst];
            }
      return { y, dX };
    }
    case 'GlobalAveragePooling2D': {
      const [n, h, w, ch] = x.shape;
      const y = tensor([n, ch]);
      const dX = tensor(x.shape);
      for (let i = 0; i < n; i++)
        for (let p = 0; p < h * w; p++)
          for (let k = 0; k < ch; k++) {
            y.data[i * ch + k] += x.data[(i * h * w + p) * ch + k] / (h * w);
            dX.data[(i * h * w + p) * ch + k] = dY.data[i * ch + k] / (h * w);
          }
      return { y, dX };
    }
    case 'InputLayer':
      throw new Error('InputLayer has no op');
    default:
      throw new Error(`no reference for ${layer.className} in this helper`);
  }
}

// The bench network as a jax-js function: any BuiltModel DAG (Sequential is the chain case), NCHW, with the
// layers the bench models use (conv, depthwise/separable conv, batch norm, residual Add, pooling, dense).
// jax-js arrays are consumed by each op unless `.ref` is taken, so a tensor read by k layers is referenced
// k - 1 times and consumed by its last reader.
import { type Array as JaxArray, lax, nn, numpy as np, random } from '@jax-js/jax';
import type { BuiltLayer, BuiltModel, NamedWeight } from '../../../src/model';
import { kernelToOihw } from '../../../src/model/weights';
import { Unsupported } from '../contender';

/** The model's weights as jax-js arrays in jax-js layouts, in the model's weight order. */
export function jaxParams(model: BuiltModel, weights: NamedWeight[]): JaxArray[] {
  const out: JaxArray[] = [];
  let k = 0;
  for (const bl of model.layers) {
    for (const p of bl.params) {
      const w = weights[k++];
      if (!w || w.shape.join() !== p.shape.join()) {
        throw new Error(`weight ${k - 1} does not match ${bl.layer.config.name}/${p.name}`);
      }
      const [kh, kw, ci, co] = w.shape;
      if (p.name === 'depthwise_kernel') {
        out.push(np.array(kernelToOihw({ ...w, shape: [kh, kw, 1, ci * co] })).reshape([ci * co, 1, kh, kw]));
      } else if (w.shape.length === 4) out.push(np.array(kernelToOihw(w)).reshape([co, ci, kh, kw]));
      else out.push(np.array(w.data).reshape(w.shape));
    }
  }
  if (k !== weights.length) throw new Error(`the model has ${k} weights, the bench gave ${weights.length}`);
  return out;
}

type Config = Record<string, unknown>;

function activate(x: JaxArray, name: unknown): JaxArray {
  if (name === undefined || name === null || name === 'linear') return x;
  if (name === 'relu') return nn.relu(x);
  if (name === 'relu6') return nn.relu6(x);
  if (name === 'softmax') return x; // folded into the loss (logSoftmax); only ever on the last layer here
  throw new Unsupported(`the bench's jax-js network has no '${String(name)}' activation`);
}

const perChannel = (a: JaxArray, c: number) => a.reshape([1, c, 1, 1]);

function conv(x: JaxArray, w: JaxArray, c: Config, groups = 1): JaxArray {
  const strides = (c.strides as number[] | undefined) ?? [1, 1];
  const padding = c.padding === 'same' ? 'SAME' : 'VALID';
  return lax.convGeneralDilated(x, w, [...strides], padding, { featureGroupCount: groups });
}

/** One layer on its inputs (consumed), taking its weights from `next()`. */
function layerForward(bl: BuiltLayer, xs: JaxArray[], next: () => JaxArray, key: () => JaxArray): JaxArray {
  const className: string = bl.layer.className;
  const c = bl.layer.config as unknown as Config;
  const x = xs[0];
  const channels = bl.outputShape[bl.outputShape.length - 1];
  const bias = (h: JaxArray) => (c.use_bias === false ? h : h.add(perChannel(next(), channels)));
  switch (className) {
    case 'Conv2D':
      return activate(bias(conv(x, next(), c)), c.activation);
    case 'DepthwiseConv2D':
      return activate(bias(conv(x, next(), c, bl.inputShape[2])), c.activation);
    case 'SeparableConv2D': {
      const dw = conv(x, next(), c, bl.inputShape[2]);
      const pw = lax.convGeneralDilated(dw, next(), [1, 1], 'VALID');
      return activate(bias(pw), c.activation);
    }
    case 'BatchNormalization': {
      // Training mode: batch statistics over N, H, W (the moving averages are not updated here; they take no
      // part in the training loss, so the timed work differs from Paperweight's by two small updates).
      const gamma = c.scale === false ? null : next();
      const beta = c.center === false ? null : next();
      next().dispose(); // moving_mean
      next().dispose(); // moving_variance
      const eps = (c.epsilon as number | undefined) ?? 1e-3;
      const axes = bl.outputShape.length === 3 ? [0, 2, 3] : [0];
      const shape = bl.outputShape.length === 3 ? [1, channels, 1, 1] : [1, channels];
      const mean = np.mean(x.ref, axes, { keepdims: true });
      const centered = x.sub(mean);
      const variance = np.mean(np.square(centered.ref), axes, { keepdims: true });
      let h = centered.div(np.sqrt(variance.add(eps)));
      if (gamma) h = h.mul(gamma.reshape(shape));
      if (beta) h = h.add(beta.reshape(shape));
      return h;
    }
    case 'Add':
      return xs.slice(1).reduce((a, b) => a.add(b), x);
    case 'Activation':
      return activate(x, c.activation);
    case 'ReLU':
      if (c.max_value === 6) return nn.relu6(x);
      if (c.max_value === null || c.max_value === undefined) return nn.relu(x);
      throw new Unsupported(`the bench's jax-js network has no ReLU(max_value=${String(c.max_value)})`);
    case 'GlobalAveragePooling2D':
      return np.mean(x, [2, 3]);
    case 'MaxPooling2D': {
      const [ph, pw] = c.pool_size as number[];
      const [n, ch, H, W] = x.shape;
      const strides = c.strides as number[];
      if (H % ph || W % pw || strides[0] !== ph || strides[1] !== pw) {
        throw new Unsupported('jax-js pooling here is reshape + max: the pool must tile the input');
      }
      return np.max(x.reshape([n, ch, H / ph, ph, W / pw, pw]), [3, 5]);
    }
    case 'Flatten':
      return x.transpose([0, 2, 3, 1]).reshape([x.shape[0], -1]); // Keras flattens NHWC
    case 'Dense':
      return activate(
        c.use_bias === false ? np.matmul(x, next()) : np.matmul(x, next()).add(next()),
        c.activation,
      );
    case 'Dropout': {
      const keep = 1 - (c.rate as number);
      const mask = random.bernoulli(key(), keep, x.shape).astype(np.float32);
      return x.mul(mask).mul(1 / keep);
    }
    default:
      throw new Unsupported(`the bench's jax-js network has no ${className}`);
  }
}

/** Logits of the network; consumes params, x and key. */
export function jaxForward(model: BuiltModel, params: JaxArray[], x: JaxArray, key: JaxArray): JaxArray {
  let p = 0;
  const readers = new Map<number, number>();
  for (const bl of model.layers) for (const i of bl.inbound) readers.set(i, (readers.get(i) ?? 0) + 1);
  const outputs = new Map<number, JaxArray>([[-1, x]]);
  const take = (i: number): JaxArray => {
    const left = (readers.get(i) ?? 1) - 1;
    readers.set(i, left);
    const a = outputs.get(i);
    if (!a) throw new Error(`layer input ${i} is not computed yet`);
    if (left > 0) return a.ref;
    outputs.delete(i);
    return a;
  };
  // Every dropout layer draws from the step's key, as the Sequential-only version did.
  const keyFor = () => key.ref;
  model.layers.forEach((bl, i) => {
    outputs.set(
      i,
      layerForward(bl, bl.inbound.map(take), () => params[p++], keyFor),
    );
  });
  key.dispose();
  const out = outputs.get(model.layers.length - 1);
  if (!out) throw new Error('the model has no output');
  return out;
}

// @jax-js/jax on WebGPU: the network written as a jitted function (NCHW, lax.convGeneralDilated), gradients by
// valueAndGrad and Keras's Adam update inside the same jit, so one call is one training step. jax-js has no
// Keras-style layers and no optimizer in the core package (optax is separate), hence the hand-written Adam.
// It can express every bench network; max pooling is a reshape + max, so it needs the pool to tile the input.
import {
  defaultDevice,
  getWebGPUDevice,
  init,
  type Array as JaxArray,
  jit,
  lax,
  nn,
  numpy as np,
  random,
  valueAndGrad,
} from '@jax-js/jax';
import type { BuiltModel, NamedWeight } from '../../../src/model';
import { type Contender, Unsupported } from '../contender';
import { liveGpuBytes } from '../counters';
import { type BenchData, floatBatch, labelBatch, oneHot } from '../data';
import { ADAM } from '../models';

type Params = JaxArray[];

/** NHWC batch -> NCHW, jax-js's convolution layout. */
function toNchw(x: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++)
        for (let ch = 0; ch < c; ch++)
          out[((i * c + ch) * h + y) * w + xx] = x[((i * h + y) * w + xx) * c + ch];
  return out;
}

/** Keras conv kernel [kh, kw, in, out] -> jax-js [out, in, kh, kw]. */
function oihw(w: NamedWeight): Float32Array {
  const [kh, kw, ci, co] = w.shape;
  const out = new Float32Array(w.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          out[((o * ci + i) * kh + y) * kw + x] = w.data[((y * kw + x) * ci + i) * co + o];
  return out;
}

function activate(x: JaxArray, name: string): JaxArray {
  if (name === 'relu') return nn.relu(x);
  if (name === 'linear' || name === 'softmax') return x; // softmax is folded into the loss (logSoftmax)
  throw new Unsupported(`the bench's jax-js network has no '${name}' activation`);
}

/** Logits of the network; consumes params, x and key. */
function forward(model: BuiltModel, params: Params, x: JaxArray, key: JaxArray): JaxArray {
  let p = 0;
  let h = x;
  for (const bl of model.layers) {
    const l = bl.layer;
    const n = h.shape[0];
    if (l.className === 'Conv2D') {
      const c = l.config;
      h = lax.convGeneralDilated(h, params[p++], [...c.strides], c.padding === 'same' ? 'SAME' : 'VALID');
      if (c.use_bias) h = h.add(params[p++].reshape([1, c.filters, 1, 1]));
      h = activate(h, c.activation);
    } else if (l.className === 'MaxPooling2D') {
      const [ph, pw] = l.config.pool_size;
      const [, ch, H, W] = h.shape;
      if (H % ph || W % pw || l.config.strides[0] !== ph || l.config.strides[1] !== pw) {
        throw new Unsupported('jax-js pooling here is reshape + max: the pool must tile the input');
      }
      h = np.max(h.reshape([n, ch, H / ph, ph, W / pw, pw]), [3, 5]);
    } else if (l.className === 'Flatten') {
      h = h.transpose([0, 2, 3, 1]).reshape([n, -1]); // Keras flattens NHWC
    } else if (l.className === 'Dense') {
      h = np.matmul(h, params[p++]);
      if (l.config.use_bias) h = h.add(params[p++]);
      h = activate(h, l.config.activation);
    } else if (l.className === 'Dropout') {
      const keep = 1 - l.config.rate;
      const mask = random.bernoulli(key.ref, keep, h.shape).astype(np.float32);
      h = h.mul(mask).mul(1 / keep);
    } else {
      throw new Unsupported(`the bench's jax-js network has no ${l.className}`);
    }
  }
  key.dispose();
  return h;
}

export class JaxContender implements Contender {
  private params: Params = [];
  private m: Params = [];
  private v: Params = [];
  private xs: JaxArray[] = [];
  private ys: JaxArray[] = [];
  private stepFn: (((...a: unknown[]) => JaxArray[][]) & { dispose(): void }) | null = null;
  private t = 0;
  private seed = 0;

  async init(): Promise<string> {
    const devices = await init('webgpu');
    if (!devices.includes('webgpu')) throw new Unsupported('jax-js found no WebGPU device');
    defaultDevice('webgpu');
    const info = getWebGPUDevice().adapterInfo;
    return `jax-js webgpu ${info?.vendor ?? ''} ${info?.architecture ?? ''}`.trim();
  }

  async build(model: BuiltModel, weights: NamedWeight[], data: BenchData, seed: number): Promise<void> {
    this.seed = seed;
    this.params = weights.map((w) =>
      w.shape.length === 4
        ? np.array(oihw(w)).reshape([w.shape[3], w.shape[2], w.shape[0], w.shape[1]])
        : np.array(w.data).reshape(w.shape),
    );
    this.m = weights.map((w) =>
      np.zeros(w.shape.length === 4 ? [w.shape[3], w.shape[2], w.shape[0], w.shape[1]] : w.shape),
    );
    this.v = this.m.map((a) => np.zeros(a.shape));
    for (let i = 0; i < data.batchCount; i++) {
      const x = toNchw(floatBatch(data, i), data.batch, data.height, data.width, data.channels);
      this.xs.push(np.array(x).reshape([data.batch, data.channels, data.height, data.width]));
      this.ys.push(np.array(oneHot(labelBatch(data, i), data.classes)).reshape([data.batch, data.classes]));
    }
    const { beta_1: b1, beta_2: b2, epsilon: eps } = ADAM;
    const loss = (params: Params, x: JaxArray, y: JaxArray, key: JaxArray) => {
      const logits = forward(model, params, x, key);
      const n = y.shape[0];
      return nn
        .logSoftmax(logits, -1)
        .mul(y)
        .sum()
        .mul(-1 / n);
    };
    const step = (
      params: Params,
      m: Params,
      v: Params,
      x: JaxArray,
      y: JaxArray,
      key: JaxArray,
      lrT: JaxArray,
    ) => {
      const [value, grads] = valueAndGrad(loss)(
        params.map((p) => p.ref),
        x,
        y,
        key,
      );
      const newM: Params = [];
      const newV: Params = [];
      const newP: Params = [];
      grads.forEach((g, i) => {
        const mi = m[i].mul(b1).add(g.ref.mul(1 - b1));
        const vi = v[i].mul(b2).add(g.ref.mul(g).mul(1 - b2));
        newP.push(params[i].sub(mi.ref.mul(lrT.ref).div(np.sqrt(vi.ref).add(eps))));
        newM.push(mi);
        newV.push(vi);
      });
      lrT.dispose();
      return [[value], newP, newM, newV];
    };
    this.stepFn = jit(step) as unknown as typeof this.stepFn;
  }

  async train(start: number, steps: number): Promise<number[]> {
    const fn = this.stepFn!;
    const losses: JaxArray[] = [];
    const { learning_rate: lr, beta_1: b1, beta_2: b2 } = ADAM;
    for (let s = 0; s < steps; s++) {
      const i = (start + s) % this.xs.length;
      this.t++;
      const lrT = (lr * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
      const key = random.key(this.seed * 100003 + this.t);
      const [[value], p, m, v] = fn(
        this.params,
        this.m,
        this.v,
        this.xs[i].ref,
        this.ys[i].ref,
        key,
        np.array(lrT),
      );
      this.params = p;
      this.m = m;
      this.v = v;
      losses.push(value);
    }
    const out: number[] = [];
    for (const l of losses) out.push((await l.data())[0] as number);
    return out;
  }

  async memory(): Promise<{ bytes: number | null; note?: string }> {
    return {
      bytes: liveGpuBytes(),
      note: 'live WebGPU buffer bytes (createBuffer minus destroy); jax-js has no memory query',
    };
  }

  async dispose(): Promise<void> {
    for (const a of [...this.params, ...this.m, ...this.v, ...this.xs, ...this.ys]) a.dispose();
    this.params = [];
    this.m = [];
    this.v = [];
    this.xs = [];
    this.ys = [];
    this.stepFn?.dispose();
    this.stepFn = null;
  }
}

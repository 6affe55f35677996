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
import { jaxForward, jaxParams } from './jax-forward';

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
    this.params = jaxParams(model, weights);
    this.m = this.params.map((a) => np.zeros(a.shape));
    this.v = this.m.map((a) => np.zeros(a.shape));
    for (let i = 0; i < data.batchCount; i++) {
      const x = toNchw(floatBatch(data, i), data.batch, data.height, data.width, data.channels);
      this.xs.push(np.array(x).reshape([data.batch, data.channels, data.height, data.width]));
      this.ys.push(np.array(oneHot(labelBatch(data, i), data.classes)).reshape([data.batch, data.classes]));
    }
    const { beta_1: b1, beta_2: b2, epsilon: eps } = ADAM;
    const loss = (params: Params, x: JaxArray, y: JaxArray, key: JaxArray) => {
      const logits = jaxForward(model, params, x, key);
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

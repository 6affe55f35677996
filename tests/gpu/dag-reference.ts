// A float64 model of a whole training step on a DAG, built from the reference ops: forward in topological
// order, the loss, backward in reverse with gradients summed where a tensor fans out. The oracle for the
// trainer's graph compilation (tests/gpu/train-dag.test.ts).
import type { BuiltModel } from '../../src/model/sequential';
import type { NamedWeight } from '../../src/model/weights';
import { type ActivationName, activationBackward, activationForward } from '../../src/reference/activations';
import { denseBackward, denseForward } from '../../src/reference/dense';
import { pointwiseLoss } from '../../src/reference/losses';
import { isMergeClass, mergeLayerBackward, mergeLayerForward } from '../../src/reference/merge';
import { softmaxCrossEntropy } from '../../src/reference/softmax_xent';
import { type Tensor, tensor } from '../../src/reference/tensor';

export interface DagStep {
  loss: number;
  /** d loss / d weight, by Keras name. */
  grads: Map<string, Float64Array>;
}

export function dagStep(
  model: BuiltModel,
  weights: NamedWeight[],
  x: Tensor,
  labels: Int32Array,
  loss: 'softmax' | 'sigmoid_bce',
): DagStep {
  const w = new Map(weights.map((v) => [v.name, v]));
  const param = (layer: string, p: string): Tensor => {
    const v = w.get(`${layer}/${p}`);
    if (!v) throw new Error(`no weight ${layer}/${p}`);
    return { shape: v.shape, data: Float64Array.from(v.data) };
  };
  const n = x.shape[0];
  const ys: Tensor[] = [];
  const zs: Tensor[] = [];
  const inputOf = (p: number) => (p < 0 ? x : ys[p]);
  const last = model.layers.length - 1;
  model.layers.forEach((l, i) => {
    const { className, config } = l.layer as unknown as {
      className: string;
      config: Record<string, unknown>;
    };
    const name = config.name as string;
    const xs = l.inbound.map(inputOf);
    if (className === 'Flatten') {
      const t = xs[0];
      zs.push(t);
      ys.push({ shape: [n, t.data.length / n], data: t.data });
    } else if (className === 'Dense') {
      const z = denseForward(xs[0], param(name, 'kernel'), param(name, 'bias').data);
      let act = config.activation as ActivationName;
      if (i === last) act = 'linear'; // the loss owns the output activation
      zs.push(z);
      ys.push(activationForward(act, z));
    } else if (isMergeClass(className)) {
      const y = mergeLayerForward({ className, config }, xs);
      zs.push(y);
      ys.push(y);
    } else throw new Error(`dagStep: no reference for ${className}`);
  });
  const out = ys[last];
  let value: number;
  let dOut: Tensor;
  if (loss === 'softmax') {
    const r = softmaxCrossEntropy(out, labels);
    value = r.loss;
    dOut = r.dLogits;
  } else {
    const r = pointwiseLoss('binary_crossentropy', out, labels);
    value = r.loss;
    dOut = r.dOutputs;
  }
  const dYs: (Tensor | null)[] = model.layers.map(() => null);
  dYs[last] = dOut;
  const add = (p: number, g: Tensor) => {
    if (p < 0) return;
    const cur = dYs[p];
    if (!cur) dYs[p] = { shape: [...g.shape], data: Float64Array.from(g.data) };
    else for (let k = 0; k < g.data.length; k++) cur.data[k] += g.data[k];
  };
  const grads = new Map<string, Float64Array>();
  for (let i = last; i >= 0; i--) {
    const l = model.layers[i];
    const { className, config } = l.layer as unknown as {
      className: string;
      config: Record<string, unknown>;
    };
    const name = config.name as string;
    const dY = dYs[i] as Tensor;
    const xs = l.inbound.map(inputOf);
    if (className === 'Flatten') {
      add(l.inbound[0], { shape: xs[0].shape, data: dY.data });
    } else if (className === 'Dense') {
      const act = i === last ? 'linear' : (config.activation as ActivationName);
      const dZ = activationBackward(act, zs[i], ys[i], dY);
      const g = denseBackward(xs[0], param(name, 'kernel'), dZ);
      grads.set(`${name}/kernel`, g.dKernel.data);
      grads.set(`${name}/bias`, g.dBias);
      add(l.inbound[0], g.dX);
    } else {
      mergeLayerBackward({ className, config }, xs, dY).forEach((g, k) => {
        add(l.inbound[k], g);
      });
    }
  }
  return { loss: value, grads };
}

export function imagesToTensor(images: Uint8Array, shape: number[]): Tensor {
  return tensor(
    shape,
    Array.from(images, (b) => b / 255),
  );
}

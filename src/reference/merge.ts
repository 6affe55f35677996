// Float64 reference of the merge layers (Keras Add, Subtract, Multiply, Average, Maximum, Concatenate):
// forward and the gradient of every input. Maximum follows TensorFlow's tie rule (the first input equal to the
// maximum gets the gradient), as chained tf.maximum(a, b) with grad to a where a >= b gives.
import { MERGE_KINDS, MERGE_LAYERS, type MergeKind } from '../model/layers';
import { memberOf } from '../model/member-of';
import { type Tensor, tensor } from './tensor';

export { MERGE_KINDS, type MergeKind };

function sameShapes(xs: Tensor[]): void {
  if (xs.length < 2) throw new Error(`merge needs at least 2 inputs, got ${xs.length}`);
  const s = xs[0].shape.join(',');
  for (const x of xs) {
    if (x.shape.join(',') !== s) throw new Error(`merge inputs differ: [${x.shape}] vs [${xs[0].shape}]`);
  }
}

export function mergeForward(kind: MergeKind, xs: Tensor[]): Tensor {
  sameShapes(xs);
  if (kind === 'Subtract' && xs.length !== 2) throw new Error('Subtract takes exactly 2 inputs');
  const y = tensor(xs[0].shape);
  for (let i = 0; i < y.data.length; i++) {
    let v = xs[0].data[i];
    for (let k = 1; k < xs.length; k++) {
      const b = xs[k].data[i];
      if (kind === 'Add' || kind === 'Average') v += b;
      else if (kind === 'Subtract') v -= b;
      else if (kind === 'Multiply') v *= b;
      else v = Math.max(v, b);
    }
    y.data[i] = kind === 'Average' ? v / xs.length : v;
  }
  return y;
}

export function mergeBackward(kind: MergeKind, xs: Tensor[], dY: Tensor): Tensor[] {
  sameShapes(xs);
  const n = xs.length;
  const y = mergeForward(kind, xs);
  const dXs = xs.map((x) => tensor(x.shape));
  for (let i = 0; i < dY.data.length; i++) {
    const g = dY.data[i];
    if (kind === 'Maximum') {
      const k = xs.findIndex((x) => x.data[i] === y.data[i]);
      dXs[k].data[i] = g;
      continue;
    }
    for (let k = 0; k < n; k++) {
      if (kind === 'Add') dXs[k].data[i] = g;
      else if (kind === 'Average') dXs[k].data[i] = g / n;
      else if (kind === 'Subtract') dXs[k].data[i] = k === 0 ? g : -g;
      else {
        let p = g;
        for (let j = 0; j < n; j++) if (j !== k) p *= xs[j].data[i];
        dXs[k].data[i] = p;
      }
    }
  }
  return dXs;
}

/** Concatenation along `axis` of tensors that include the batch axis (axis 0 is the batch; negative counts from the end). */
export function concatForward(xs: Tensor[], axis: number): Tensor {
  const rank = xs[0].shape.length;
  const a = axis < 0 ? rank + axis : axis;
  const outer = xs[0].shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = xs[0].shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const total = xs.reduce((s, x) => s + x.shape[a], 0);
  const shape = [...xs[0].shape];
  shape[a] = total;
  const y = tensor(shape);
  let offset = 0;
  for (const x of xs) {
    const len = x.shape[a];
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < len; j++)
        for (let r = 0; r < inner; r++) {
          y.data[(o * total + offset + j) * inner + r] = x.data[(o * len + j) * inner + r];
        }
    offset += len;
  }
  return y;
}

export function concatBackward(xs: Tensor[], axis: number, dY: Tensor): Tensor[] {
  const rank = xs[0].shape.length;
  const a = axis < 0 ? rank + axis : axis;
  const outer = xs[0].shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = xs[0].shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const total = dY.shape[a];
  let offset = 0;
  return xs.map((x) => {
    const len = x.shape[a];
    const dX = tensor(x.shape);
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < len; j++)
        for (let r = 0; r < inner; r++) {
          dX.data[(o * len + j) * inner + r] = dY.data[(o * total + offset + j) * inner + r];
        }
    offset += len;
    return dX;
  });
}

/** A merge layer by its Keras class: one of MERGE_KINDS, or Concatenate (config.axis, default -1). */
export interface MergeLayerRef {
  className: string;
  config: object;
}

/** Whether `className` is a merge layer (MERGE_KINDS or Concatenate). */
export const isMergeClass = memberOf(MERGE_LAYERS);

const isMergeKind = memberOf(MERGE_KINDS);

const concatAxis = (layer: MergeLayerRef) => (layer.config as { axis?: number }).axis ?? -1;

/** The merge layer's output for inputs `xs`. */
export function mergeLayerForward(layer: MergeLayerRef, xs: Tensor[]): Tensor {
  if (layer.className === 'Concatenate') return concatForward(xs, concatAxis(layer));
  if (!isMergeKind(layer.className)) throw new Error(`${layer.className} is not a merge layer`);
  return mergeForward(layer.className, xs);
}

/** The gradient of every input of the merge layer, given the output's gradient `dY`. */
export function mergeLayerBackward(layer: MergeLayerRef, xs: Tensor[], dY: Tensor): Tensor[] {
  if (layer.className === 'Concatenate') return concatBackward(xs, concatAxis(layer), dY);
  if (!isMergeKind(layer.className)) throw new Error(`${layer.className} is not a merge layer`);
  return mergeBackward(layer.className, xs, dY);
}

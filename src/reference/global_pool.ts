// Reference GlobalAveragePooling2D / GlobalMaxPooling2D over NHWC, float64: [N, H, W, C] -> [N, C].
// Max ties split the gradient evenly among the tied cells, as TensorFlow's reduce_max gradient does (Keras 3's
// GlobalMaxPooling2D is ops.max over the spatial axes); with distinct values it all goes to the one maximum.
import { type Tensor, tensor } from './tensor';

export type GlobalPoolMode = 'avg' | 'max';

function dims(x: Tensor) {
  if (x.shape.length !== 4) throw new Error(`global_pool: input must be [N,H,W,C], got [${x.shape}]`);
  const [n, h, w, c] = x.shape;
  return { n, hw: h * w, c };
}

export function globalPoolForward(x: Tensor, mode: GlobalPoolMode): Tensor {
  const { n, hw, c } = dims(x);
  const y = tensor([n, c]);
  for (let b = 0; b < n; b++)
    for (let k = 0; k < c; k++) {
      let acc = mode === 'max' ? Number.NEGATIVE_INFINITY : 0;
      for (let p = 0; p < hw; p++) {
        const v = x.data[(b * hw + p) * c + k];
        acc = mode === 'max' ? Math.max(acc, v) : acc + v;
      }
      y.data[b * c + k] = mode === 'max' ? acc : acc / hw;
    }
  return y;
}

export function globalPoolBackward(x: Tensor, dY: Tensor, mode: GlobalPoolMode): Tensor {
  const { n, hw, c } = dims(x);
  if (dY.shape.join() !== [n, c].join())
    throw new Error(`global_pool: dY must be [${n},${c}], got [${dY.shape}]`);
  const y = globalPoolForward(x, mode);
  const dX = tensor(x.shape);
  for (let b = 0; b < n; b++)
    for (let k = 0; k < c; k++) {
      const g = dY.data[b * c + k];
      if (mode === 'avg') {
        for (let p = 0; p < hw; p++) dX.data[(b * hw + p) * c + k] = g / hw;
        continue;
      }
      const max = y.data[b * c + k];
      let ties = 0;
      for (let p = 0; p < hw; p++) if (x.data[(b * hw + p) * c + k] === max) ties++;
      for (let p = 0; p < hw; p++)
        if (x.data[(b * hw + p) * c + k] === max) dX.data[(b * hw + p) * c + k] = g / ties;
    }
  return dX;
}

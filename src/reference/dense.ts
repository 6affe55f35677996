// Reference Dense (Keras kernel layout [in, out]): y = x K + b, and its gradients
//   dX = dY K^T, dK = x^T dY, db = sum over the batch of dY.
import { type Tensor, tensor } from './tensor';

function dims(x: Tensor, kernel: Tensor): [number, number, number] {
  if (x.shape.length !== 2) throw new Error(`dense: input must be [N,in], got [${x.shape}]`);
  if (kernel.shape.length !== 2) throw new Error(`dense: kernel must be [in,out], got [${kernel.shape}]`);
  const [n, fin] = x.shape;
  const [kin, fout] = kernel.shape;
  if (kin !== fin) throw new Error(`dense: input has ${fin} features but the kernel expects ${kin}`);
  return [n, fin, fout];
}

export function denseForward(x: Tensor, kernel: Tensor, bias: Float64Array | null): Tensor {
  const [n, fin, fout] = dims(x, kernel);
  if (bias && bias.length !== fout) throw new Error(`dense: bias has ${bias.length} values, need ${fout}`);
  const y = tensor([n, fout]);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < fout; j++) {
      let acc = bias ? bias[j] : 0;
      for (let i = 0; i < fin; i++) acc += x.data[r * fin + i] * kernel.data[i * fout + j];
      y.data[r * fout + j] = acc;
    }
  }
  return y;
}

export function denseBackward(
  x: Tensor,
  kernel: Tensor,
  dY: Tensor,
): { dX: Tensor; dKernel: Tensor; dBias: Float64Array } {
  const [n, fin, fout] = dims(x, kernel);
  if (dY.shape.join() !== [n, fout].join())
    throw new Error(`dense: dY must be [${n},${fout}], got [${dY.shape}]`);
  const dX = tensor([n, fin]);
  const dKernel = tensor([fin, fout]);
  const dBias = new Float64Array(fout);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < fout; j++) {
      const g = dY.data[r * fout + j];
      dBias[j] += g;
      for (let i = 0; i < fin; i++) {
        dX.data[r * fin + i] += g * kernel.data[i * fout + j];
        dKernel.data[i * fout + j] += x.data[r * fin + i] * g;
      }
    }
  }
  return { dX, dKernel, dBias };
}

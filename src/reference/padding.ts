import type { Padding } from './tensor';

// Output size and padding of one spatial axis, by TensorFlow's rule (Keras inherits it):
// 'same':  out = ceil(in / s), total = max((out - 1) * s + k - in, 0), before = floor(total / 2);
//          the odd pixel goes after, which is why TF and PyTorch disagree on asymmetric padding.
// 'valid': out = floor((in - k) / s) + 1, no padding.
export interface AxisPadding {
  out: number;
  before: number;
  after: number;
}

export function samePadding(inSize: number, k: number, stride: number): AxisPadding {
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + k - inSize, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

export function validPadding(inSize: number, k: number, stride: number): AxisPadding {
  return { out: Math.floor((inSize - k) / stride) + 1, before: 0, after: 0 };
}

/** One axis under either padding; throws when 'valid' leaves no output (kernel larger than the input). */
export function axisPadding(inSize: number, k: number, stride: number, padding: Padding): AxisPadding {
  if (!(k >= 1 && stride >= 1 && inSize >= 1)) {
    throw new Error(`padding: need size, kernel and stride >= 1 (got in=${inSize}, k=${k}, s=${stride})`);
  }
  const p = padding === 'same' ? samePadding(inSize, k, stride) : validPadding(inSize, k, stride);
  if (p.out < 1) {
    throw new Error(`padding: kernel ${k} is larger than the input ${inSize} with padding='valid'`);
  }
  return p;
}

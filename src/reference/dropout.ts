// Reference Dropout. The mask is a counter-based hash of (element index, seed), so the GPU kernel can
// reproduce it bit for bit with u32 arithmetic and nothing has to be uploaded per step.
// PCG-style hash (O'Neill's RXS-M-XS output on one LCG step), all arithmetic wrapping u32:
//   state = v * 747796405 + 2891336453
//   word  = ((state >>> ((state >>> 28) + 4)) ^ state) * 277803737
//   pcg   = (word >>> 22) ^ word
// u = pcg(index + pcg(seed)); uniform = (u >>> 8) / 2^24 in [0, 1) on a 24-bit grid (exact in float32);
// an element is kept iff uniform >= rate, then scaled by 1 / (1 - rate) (inverted dropout, as Keras).
import { type Tensor, tensor } from './tensor';

export function pcgHash(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The uniform in [0, 1) that decides element `index` (exposed so tests and kernels can compare it). */
export function dropoutUniform(index: number, seed: number): number {
  const u = pcgHash((index + pcgHash(seed)) >>> 0);
  return (u >>> 8) / 16777216;
}

export function dropoutMask(count: number, rate: number, seed: number): Uint8Array {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  const mask = new Uint8Array(count);
  const base = pcgHash(seed);
  for (let i = 0; i < count; i++) {
    const u = pcgHash((i + base) >>> 0);
    mask[i] = (u >>> 8) / 16777216 >= rate ? 1 : 0;
  }
  return mask;
}

function scaleByMask(t: Tensor, mask: Uint8Array, rate: number): Tensor {
  if (mask.length !== t.data.length)
    throw new Error(`dropout: mask has ${mask.length} values, need ${t.data.length}`);
  const scale = 1 / (1 - rate);
  const out = tensor(t.shape);
  for (let i = 0; i < t.data.length; i++) out.data[i] = mask[i] ? t.data[i] * scale : 0;
  return out;
}

export function dropoutForward(x: Tensor, mask: Uint8Array, rate: number): Tensor {
  return scaleByMask(x, mask, rate);
}

/** dX = dY * mask / (1 - rate): the same linear map as forward. */
export function dropoutBackward(dY: Tensor, mask: Uint8Array, rate: number): Tensor {
  return scaleByMask(dY, mask, rate);
}

// Pixel conversion for image folders: RGBA to 1 or 3 channels, then resized to the target size. Shrinking
// averages the covered source area (no aliasing when thousands of photos become 32x32); enlarging is
// bilinear. Alpha is dropped, as Keras's load_img and tf.image.decode_image(channels=3) drop it.
import type { DecodedImage } from './types';

/** ITU-R 601 luma, the weights PIL's convert('L') and tf.image.rgb_to_grayscale use. */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

export function isGrayImage(img: DecodedImage): boolean {
  const p = img.rgba;
  for (let i = 0; i < p.length; i += 4) if (p[i] !== p[i + 1] || p[i] !== p[i + 2]) return false;
  return true;
}

interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  stride: number;
}

/** For each output index, the source indices it reads and their weights (summing to 1). */
function taps(src: number, dst: number): Taps {
  const scale = src / dst;
  const stride = Math.ceil(scale) + 2;
  const start = new Int32Array(dst);
  const count = new Int32Array(dst);
  const weights = new Float32Array(dst * stride);
  for (let o = 0; o < dst; o++) {
    if (scale >= 1) {
      // Area: output o covers source [o*scale, (o+1)*scale); each source pixel weighs its overlap.
      const lo = o * scale;
      const hi = lo + scale;
      const first = Math.floor(lo);
      const last = Math.min(src - 1, Math.ceil(hi) - 1);
      start[o] = first;
      count[o] = last - first + 1;
      for (let s = first; s <= last; s++) {
        weights[o * stride + s - first] = (Math.min(hi, s + 1) - Math.max(lo, s)) / scale;
      }
    } else {
      // Bilinear with pixel centres aligned (half-pixel offsets), clamped at the edges.
      const c = Math.min(src - 1, Math.max(0, (o + 0.5) * scale - 0.5));
      const s0 = Math.floor(c);
      const s1 = Math.min(src - 1, s0 + 1);
      const f = c - s0;
      start[o] = s0;
      count[o] = s1 === s0 ? 1 : 2;
      weights[o * stride] = s1 === s0 ? 1 : 1 - f;
      if (s1 !== s0) weights[o * stride + 1] = f;
    }
  }
  return { start, count, weights, stride };
}

/** The image as `channels` (1 gray or 3 RGB) float planes-interleaved values, before resizing. */
function channelsOf(img: DecodedImage, channels: 1 | 3): Float32Array {
  const n = img.width * img.height;
  const p = img.rgba;
  const out = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) {
    if (channels === 1) out[i] = luma(p[4 * i], p[4 * i + 1], p[4 * i + 2]);
    else {
      out[3 * i] = p[4 * i];
      out[3 * i + 1] = p[4 * i + 1];
      out[3 * i + 2] = p[4 * i + 2];
    }
  }
  return out;
}

/** The image at height x width with 1 or 3 channels, HWC uint8. */
export function convertImage(img: DecodedImage, height: number, width: number, channels: 1 | 3): Uint8Array {
  const sw = img.width;
  const sh = img.height;
  const c = channels;
  const src = channelsOf(img, channels);
  const out = new Uint8Array(height * width * c);
  if (sw === width && sh === height) {
    for (let i = 0; i < out.length; i++) out[i] = Math.round(src[i]);
    return out;
  }
  // Horizontal pass: sh rows of `width` pixels.
  const tx = taps(sw, width);
  const mid = new Float32Array(sh * width * c);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < tx.count[x]; k++)
          acc += tx.weights[x * tx.stride + k] * src[(y * sw + tx.start[x] + k) * c + ch];
        mid[(y * width + x) * c + ch] = acc;
      }
    }
  }
  // Vertical pass.
  const ty = taps(sh, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < ty.count[y]; k++)
          acc += ty.weights[y * ty.stride + k] * mid[((ty.start[y] + k) * width + x) * c + ch];
        out[(y * width + x) * c + ch] = Math.min(255, Math.max(0, Math.round(acc)));
      }
    }
  }
  return out;
}

// Reference batch assembly: gather images by index from a uint8 dataset [N, srcH, srcW, C], fit them to the
// model's input [dstH, dstW] and normalise to float. What the GPU gather kernel must reproduce.
//
// mode 'pad': the source is centred like tf.image.resize_with_crop_or_pad: offset = floor(|dst - src| / 2)
//   before, the odd row/column after (28 -> 32 pads 2 and 2; 28 -> 31 pads 1 before, 2 after); a smaller
//   destination crops the centre the same way. Padded cells are raw 0 (a black pixel) BEFORE normalisation,
//   so with scale255 they are 0 and with meanstd they are (0 - mean) / std.
// mode 'resize': bilinear with half-pixel centres (align_corners=false, half_pixel_centers=true, what
//   tf.image.resize 'bilinear' does): src = (dst + 0.5) * srcSize / dstSize - 0.5, neighbours clamped to the
//   edge. Interpolation runs on raw 0..255 values; normalisation is affine per channel, so the order does
//   not change the result.
// normalization: scale255 -> x / 255; meanstd -> (x / 255 - mean[c]) / std[c] (means and stds on the 0..1
//   scale, one per channel, or a single value for all channels).
import { type Tensor, tensor } from './tensor';

export type BatchNormalization = { kind: 'scale255' } | { kind: 'meanstd'; mean: number[]; std: number[] };

export interface GatherBatchOptions {
  srcH: number;
  srcW: number;
  channels: number;
  dstH: number;
  dstW: number;
  mode: 'pad' | 'resize';
  normalization: BatchNormalization;
}

/** Per-channel affine map raw -> normalised: value = raw * scale[c] + shift[c]. */
function affine(norm: BatchNormalization, channels: number): { scale: Float64Array; shift: Float64Array } {
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    if (norm.kind === 'scale255') {
      scale[c] = 1 / 255;
    } else {
      const pick = (values: number[], what: string): number => {
        if (values.length !== 1 && values.length !== channels) {
          throw new Error(`gatherBatch: ${what} has ${values.length} values for ${channels} channels`);
        }
        return values.length === 1 ? values[0] : values[c];
      };
      const mean = pick(norm.mean, 'mean');
      const std = pick(norm.std, 'std');
      if (!(std > 0)) throw new Error(`gatherBatch: std must be > 0, got ${std}`);
      scale[c] = 1 / (255 * std);
      shift[c] = -mean / std;
    }
  }
  return { scale, shift };
}

/** Bilinear sample positions along one axis: lower/upper source index and the weight of the upper one. */
function bilinearAxis(src: number, dst: number): { lo: Int32Array; hi: Int32Array; frac: Float64Array } {
  const lo = new Int32Array(dst);
  const hi = new Int32Array(dst);
  const frac = new Float64Array(dst);
  const ratio = src / dst;
  for (let i = 0; i < dst; i++) {
    const pos = (i + 0.5) * ratio - 0.5;
    const f = Math.floor(pos);
    frac[i] = pos - f;
    lo[i] = Math.min(Math.max(f, 0), src - 1);
    hi[i] = Math.min(Math.max(f + 1, 0), src - 1);
  }
  return { lo, hi, frac };
}

export function gatherBatch(images: Uint8Array, indices: Int32Array, opts: GatherBatchOptions): Tensor {
  const { srcH, srcW, channels: C, dstH, dstW } = opts;
  const imageSize = srcH * srcW * C;
  const count = Math.floor(images.length / imageSize);
  if (images.length !== count * imageSize) {
    throw new Error(
      `gatherBatch: ${images.length} bytes is not a whole number of ${srcH}x${srcW}x${C} images`,
    );
  }
  const { scale, shift } = affine(opts.normalization, C);
  const out = tensor([indices.length, dstH, dstW, C]);
  const Y = out.data;
  const rowsV = opts.mode === 'resize' ? bilinearAxis(srcH, dstH) : null;
  const colsV = opts.mode === 'resize' ? bilinearAxis(srcW, dstW) : null;
  // Signed offset of the source inside the destination ('pad'); negative means a centred crop.
  const offY = Math.sign(dstH - srcH) * Math.floor(Math.abs(dstH - srcH) / 2);
  const offX = Math.sign(dstW - srcW) * Math.floor(Math.abs(dstW - srcW) / 2);
  for (let b = 0; b < indices.length; b++) {
    const idx = indices[b];
    if (!(idx >= 0 && idx < count))
      throw new Error(`gatherBatch: index ${idx} is outside the ${count} images`);
    const base = idx * imageSize;
    const at = (y: number, x: number, c: number): number => images[base + (y * srcW + x) * C + c];
    for (let y = 0; y < dstH; y++) {
      for (let x = 0; x < dstW; x++) {
        for (let c = 0; c < C; c++) {
          let raw: number;
          if (rowsV && colsV) {
            const y0 = rowsV.lo[y];
            const y1 = rowsV.hi[y];
            const x0 = colsV.lo[x];
            const x1 = colsV.hi[x];
            const fy = rowsV.frac[y];
            const fx = colsV.frac[x];
            const top = at(y0, x0, c) + (at(y0, x1, c) - at(y0, x0, c)) * fx;
            const bottom = at(y1, x0, c) + (at(y1, x1, c) - at(y1, x0, c)) * fx;
            raw = top + (bottom - top) * fy;
          } else {
            const sy = y - offY;
            const sx = x - offX;
            raw = sy >= 0 && sy < srcH && sx >= 0 && sx < srcW ? at(sy, sx, c) : 0;
          }
          Y[((b * dstH + y) * dstW + x) * C + c] = raw * scale[c] + shift[c];
        }
      }
    }
  }
  return out;
}

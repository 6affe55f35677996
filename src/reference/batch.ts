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
// augment: the model's head augmentation chain (src/model/augment-chain.ts) applied after the fit, in the
//   [dstH, dstW] frame, through src/reference/augment.ts; the output is then [chain.outH, chain.outW]. Fill
//   values are in the normalised domain (what the model's input sees).

import { channelAffine } from '../data/channel-affine';
import { type AugmentChain, inferenceChain } from '../model/augment-chain';
import { type AugmentDraw, augmentSource, sampleFrame } from './augment';
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
  augment?: { chain: AugmentChain; draw: AugmentDraw; training: boolean };
}

/** Lower and upper source index and the weight of the upper one, of a half-pixel-centre bilinear resize. */
function bilinearAxis(d: number, src: number, dst: number): [number, number, number] {
  const pos = (d + 0.5) * (src / dst) - 0.5;
  const f = Math.floor(pos);
  return [Math.min(Math.max(f, 0), src - 1), Math.min(Math.max(f + 1, 0), src - 1), pos - f];
}

/** Raw value of pixel (y, x, c) of the dataset image at `base` fitted to [dstH, dstW] ('pad' or 'resize'). */
function fitted(
  images: Uint8Array,
  base: number,
  o: GatherBatchOptions,
  y: number,
  x: number,
  c: number,
): number {
  const { srcH, srcW, channels: C, dstH, dstW } = o;
  const at = (sy: number, sx: number): number => images[base + (sy * srcW + sx) * C + c];
  if (o.mode === 'resize') {
    const [y0, y1, fy] = bilinearAxis(y, srcH, dstH);
    const [x0, x1, fx] = bilinearAxis(x, srcW, dstW);
    const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * fx;
    const bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * fx;
    return top + (bottom - top) * fy;
  }
  // Signed offset of the source inside the destination; negative means a centred crop.
  const sy = y - Math.sign(dstH - srcH) * Math.floor(Math.abs(dstH - srcH) / 2);
  const sx = x - Math.sign(dstW - srcW) * Math.floor(Math.abs(dstW - srcW) / 2);
  return sy >= 0 && sy < srcH && sx >= 0 && sx < srcW ? at(sy, sx) : 0;
}

export function gatherBatch(images: Uint8Array, indices: Int32Array, opts: GatherBatchOptions): Tensor {
  const { srcH, srcW, channels: C } = opts;
  const imageSize = srcH * srcW * C;
  const count = Math.floor(images.length / imageSize);
  if (images.length !== count * imageSize) {
    throw new Error(
      `gatherBatch: ${images.length} bytes is not a whole number of ${srcH}x${srcW}x${C} images`,
    );
  }
  const { scale, shift } = channelAffine(opts.normalization, C);
  // Outside training only the inference part of the chain runs (RandomCrop's centred resize).
  const aug = opts.augment && {
    ...opts.augment,
    chain: opts.augment.training ? opts.augment.chain : inferenceChain(opts.augment.chain),
  };
  const outH = aug ? aug.chain.outH : opts.dstH;
  const outW = aug ? aug.chain.outW : opts.dstW;
  const out = tensor([indices.length, outH, outW, C]);
  const Y = out.data;
  for (let b = 0; b < indices.length; b++) {
    const idx = indices[b];
    if (!(idx >= 0 && idx < count))
      throw new Error(`gatherBatch: index ${idx} is outside the ${count} images`);
    const base = idx * imageSize;
    for (let y = 0; y < outH; y++) {
      for (let x = 0; x < outW; x++) {
        const src = aug ? augmentSource(aug.chain, aug.draw, b, y, x, aug.training) : null;
        for (let c = 0; c < C; c++) {
          const value = (fy: number, fx: number) =>
            fitted(images, base, opts, fy, fx, c) * scale[c] + shift[c];
          Y[((b * outH + y) * outW + x) * C + c] =
            src && aug ? sampleFrame(aug.chain, src[0], src[1], aug.chain.fill[c], value) : value(y, x);
        }
      }
    }
  }
  return out;
}

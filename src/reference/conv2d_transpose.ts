// Reference Conv2DTranspose (NHWC, Keras kernel layout [kh, kw, out, in]), float64: the gradient of a Conv2D with
// respect to its input, as TensorFlow's conv2d_transpose computes it. Output size (Keras, no output_padding):
// 'same' in * s, 'valid' in * s + max(k - s, 0). The padding is the one the matching forward conv (from the
// output size to the input size) would use, so input pixel (iy, ix) spreads over
//   y[n, iy*sh - top + ky, ix*sw - left + kx, o] += x[n, iy, ix, i] * K[ky, kx, o, i]   (taps outside y dropped):
// the windows of that forward conv, with x and y trading places (conv-taps.ts).
import { type ConvOptions, convWalk, linearConv } from './conv-taps';
import type { Padding } from './tensor';

export type ConvTransposeOptions = ConvOptions;

export function transposeOutSize(size: number, k: number, stride: number, padding: Padding): number {
  return padding === 'same' ? size * stride : size * stride + Math.max(k - stride, 0);
}

const transpose = linearConv<ConvTransposeOptions>(
  'conv2d_transpose',
  ['kh', 'kw', 'out', 'in'],
  (d, opts) => {
    const { n, h, w, cin, kOut: cout } = d;
    const oh = transposeOutSize(h, d.kh, opts.strides[0], opts.padding);
    const ow = transposeOutSize(w, d.kw, opts.strides[1], opts.padding);
    // The conv from y back to x: one window per pixel of x, reaching into y.
    const walk = convWalk(n, oh, ow, d.kh, d.kw, opts);
    if (walk.outer[0] !== h || walk.outer[1] !== w)
      throw new Error(
        `conv2d_transpose: ${oh}x${ow} convolves back to ${walk.outer.join('x')}, not ${h}x${w}`,
      );
    return {
      walk,
      yShape: [n, oh, ow, cout],
      transposed: true,
      channels: (xPixel, yPixel, tap, f) => {
        for (let o = 0; o < cout; o++)
          for (let i = 0; i < cin; i++) f(xPixel * cin + i, (tap * cout + o) * cin + i, yPixel * cout + o);
      },
    };
  },
);
export const conv2dTransposeForward = transpose.forward;
export const conv2dTransposeBackward = transpose.backward;

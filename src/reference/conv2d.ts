// Reference Conv2D (NHWC input, Keras kernel layout [kh, kw, Cin, Cout]), forward and backward in float64.
//   y[n, oy, ox, co] = b[co] + sum_{ky,kx,ci} x[n, oy*sh - top + ky, ox*sw - left + kx, ci] * K[ky, kx, ci, co]
// with out-of-bounds x reading as 0 ('same' zero padding). The backward pass scatters dY through the same
// index map (conv-taps.ts), so forward and backward cannot disagree about padding.
import { type ConvOptions, convWalk, linearConv } from './conv-taps';

export type Conv2dOptions = ConvOptions;

const conv2d = linearConv<Conv2dOptions>('conv2d', ['kh', 'kw', 'in', 'out'], (d, opts) => {
  const walk = convWalk(d.n, d.h, d.w, d.kh, d.kw, opts);
  const { cin, kOut: cout } = d;
  return {
    walk,
    yShape: [d.n, ...walk.outer, cout],
    channels: (xPixel, yPixel, tap, f) => {
      for (let ci = 0; ci < cin; ci++)
        for (let co = 0; co < cout; co++)
          f(xPixel * cin + ci, (tap * cin + ci) * cout + co, yPixel * cout + co);
    },
  };
});
export const conv2dForward = conv2d.forward;
export const conv2dBackward = conv2d.backward;

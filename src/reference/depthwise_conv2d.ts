// Reference DepthwiseConv2D (NHWC, Keras kernel layout [kh, kw, Cin, depth_multiplier]), float64.
// Output channel o = ci * M + m (TensorFlow's order) sees only input channel ci:
//   y[n, oy, ox, ci*M + m] = b[ci*M + m] + sum_{ky,kx} x[n, oy*sh - top + ky, ox*sw - left + kx, ci] * K[ky, kx, ci, m]
// with out-of-bounds x reading as 0 ('same' zero padding). Backward scatters dY through the same index map.
import { type ConvOptions, convWalk, linearConv } from './conv-taps';

export type DepthwiseOptions = ConvOptions;

const depthwise = linearConv<DepthwiseOptions>(
  'depthwise_conv2d',
  ['kh', 'kw', 'in', 'depth_multiplier'],
  (d, opts) => {
    const walk = convWalk(d.n, d.h, d.w, d.kh, d.kw, opts);
    const { cin, kOut: mult } = d;
    const cout = cin * mult;
    return {
      walk,
      yShape: [d.n, ...walk.outer, cout],
      // Within one pixel and tap, y's channel ci * M + m and the kernel's [ci, m] flatten to the same o.
      channels: (xPixel, yPixel, tap, f) => {
        for (let o = 0; o < cout; o++)
          f(xPixel * cin + Math.floor(o / mult), tap * cout + o, yPixel * cout + o);
      },
    };
  },
);
export const depthwiseConv2dForward = depthwise.forward;
export const depthwiseConv2dBackward = depthwise.backward;

// Reference DepthwiseConv2D (NHWC, Keras kernel layout [kh, kw, Cin, depth_multiplier]), float64.
// Output channel o = ci * M + m (TensorFlow's order) sees only input channel ci:
//   y[n, oy, ox, ci*M + m] = b[ci*M + m] + sum_{ky,kx} x[n, oy*sh - top + ky, ox*sw - left + kx, ci] * K[ky, kx, ci, m]
// with out-of-bounds x reading as 0 ('same' zero padding). Backward scatters dY through the same index map.
import { axisPadding } from './padding';
import { type Padding, type Tensor, tensor } from './tensor';

export interface DepthwiseOptions {
  strides: [number, number];
  padding: Padding;
}

function geometry(x: Tensor, kernel: Tensor, opts: DepthwiseOptions) {
  if (x.shape.length !== 4) throw new Error(`depthwise_conv2d: input must be [N,H,W,C], got [${x.shape}]`);
  const [n, h, w, cin] = x.shape;
  const [kh, kw, kc, mult] = kernel.shape;
  if (kc !== cin) throw new Error(`depthwise_conv2d: input has ${cin} channels, the kernel expects ${kc}`);
  const py = axisPadding(h, kh, opts.strides[0], opts.padding);
  const px = axisPadding(w, kw, opts.strides[1], opts.padding);
  return { n, h, w, cin, kh, kw, mult, oh: py.out, ow: px.out, top: py.before, left: px.before };
}

/** Calls f(xIndex, kIndex, yIndex) for every in-bounds tap: forward and backward share the index map. */
function eachTap(
  x: Tensor,
  kernel: Tensor,
  opts: DepthwiseOptions,
  f: (xi: number, ki: number, yi: number) => void,
) {
  const g = geometry(x, kernel, opts);
  const cout = g.cin * g.mult;
  for (let b = 0; b < g.n; b++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++)
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * opts.strides[0] - g.top + ky;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * opts.strides[1] - g.left + kx;
            if (ix < 0 || ix >= g.w) continue;
            for (let ci = 0; ci < g.cin; ci++)
              for (let m = 0; m < g.mult; m++) {
                const o = ci * g.mult + m;
                f(
                  ((b * g.h + iy) * g.w + ix) * g.cin + ci,
                  ((ky * g.kw + kx) * g.cin + ci) * g.mult + m,
                  ((b * g.oh + oy) * g.ow + ox) * cout + o,
                );
              }
          }
        }
}

export function depthwiseConv2dForward(
  x: Tensor,
  kernel: Tensor,
  bias: Float64Array | null,
  opts: DepthwiseOptions,
): Tensor {
  const g = geometry(x, kernel, opts);
  const cout = g.cin * g.mult;
  if (bias && bias.length !== cout)
    throw new Error(`depthwise_conv2d: bias has ${bias.length} values, need ${cout}`);
  const y = tensor([g.n, g.oh, g.ow, cout]);
  if (bias) for (let i = 0; i < y.data.length; i++) y.data[i] = bias[i % cout];
  eachTap(x, kernel, opts, (xi, ki, yi) => {
    y.data[yi] += x.data[xi] * kernel.data[ki];
  });
  return y;
}

export function depthwiseConv2dBackward(
  x: Tensor,
  kernel: Tensor,
  dY: Tensor,
  opts: DepthwiseOptions,
): { dX: Tensor; dKernel: Tensor; dBias: Float64Array } {
  const g = geometry(x, kernel, opts);
  const cout = g.cin * g.mult;
  const want = [g.n, g.oh, g.ow, cout];
  if (dY.shape.join() !== want.join())
    throw new Error(`depthwise_conv2d: dY must be [${want}], got [${dY.shape}]`);
  const dX = tensor(x.shape);
  const dKernel = tensor(kernel.shape);
  eachTap(x, kernel, opts, (xi, ki, yi) => {
    dX.data[xi] += dY.data[yi] * kernel.data[ki];
    dKernel.data[ki] += dY.data[yi] * x.data[xi];
  });
  const dBias = new Float64Array(cout);
  for (let i = 0; i < dY.data.length; i++) dBias[i % cout] += dY.data[i];
  return { dX, dKernel, dBias };
}

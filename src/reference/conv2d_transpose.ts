// Reference Conv2DTranspose (NHWC, Keras kernel layout [kh, kw, out, in]), float64: the gradient of a Conv2D with
// respect to its input, as TensorFlow's conv2d_transpose computes it. Output size (Keras, no output_padding):
// 'same' in * s, 'valid' in * s + max(k - s, 0). The padding is the one the matching forward conv (from the
// output size to the input size) would use, so input pixel (iy, ix) spreads over
//   y[n, iy*sh - top + ky, ix*sw - left + kx, o] += x[n, iy, ix, i] * K[ky, kx, o, i]   (taps outside y dropped).
import { axisPadding } from './padding';
import { type Padding, type Tensor, tensor } from './tensor';

export interface ConvTransposeOptions {
  strides: [number, number];
  padding: Padding;
}

export function transposeOutSize(size: number, k: number, stride: number, padding: Padding): number {
  return padding === 'same' ? size * stride : size * stride + Math.max(k - stride, 0);
}

function geometry(x: Tensor, kernel: Tensor, opts: ConvTransposeOptions) {
  if (x.shape.length !== 4) throw new Error(`conv2d_transpose: input must be [N,H,W,C], got [${x.shape}]`);
  const [n, h, w, cin] = x.shape;
  const [kh, kw, cout, kin] = kernel.shape;
  if (kin !== cin) throw new Error(`conv2d_transpose: input has ${cin} channels, the kernel expects ${kin}`);
  const [sh, sw] = opts.strides;
  const oh = transposeOutSize(h, kh, sh, opts.padding);
  const ow = transposeOutSize(w, kw, sw, opts.padding);
  const top = axisPadding(oh, kh, sh, opts.padding).before;
  const left = axisPadding(ow, kw, sw, opts.padding).before;
  return { n, h, w, cin, kh, kw, cout, sh, sw, oh, ow, top, left };
}

/** f(xIndex, kIndex, yIndex) for every tap that lands inside y: forward and backward share the map. */
function eachTap(
  x: Tensor,
  kernel: Tensor,
  opts: ConvTransposeOptions,
  f: (xi: number, ki: number, yi: number) => void,
) {
  const g = geometry(x, kernel, opts);
  for (let b = 0; b < g.n; b++)
    for (let iy = 0; iy < g.h; iy++)
      for (let ix = 0; ix < g.w; ix++)
        for (let ky = 0; ky < g.kh; ky++) {
          const oy = iy * g.sh - g.top + ky;
          if (oy < 0 || oy >= g.oh) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ox = ix * g.sw - g.left + kx;
            if (ox < 0 || ox >= g.ow) continue;
            for (let o = 0; o < g.cout; o++)
              for (let i = 0; i < g.cin; i++) {
                f(
                  ((b * g.h + iy) * g.w + ix) * g.cin + i,
                  ((ky * g.kw + kx) * g.cout + o) * g.cin + i,
                  ((b * g.oh + oy) * g.ow + ox) * g.cout + o,
                );
              }
          }
        }
  return g;
}

export function conv2dTransposeForward(
  x: Tensor,
  kernel: Tensor,
  bias: Float64Array | null,
  opts: ConvTransposeOptions,
): Tensor {
  const g = geometry(x, kernel, opts);
  if (bias && bias.length !== g.cout)
    throw new Error(`conv2d_transpose: bias has ${bias.length} values, need ${g.cout}`);
  const y = tensor([g.n, g.oh, g.ow, g.cout]);
  if (bias) for (let i = 0; i < y.data.length; i++) y.data[i] = bias[i % g.cout];
  eachTap(x, kernel, opts, (xi, ki, yi) => {
    y.data[yi] += x.data[xi] * kernel.data[ki];
  });
  return y;
}

export function conv2dTransposeBackward(
  x: Tensor,
  kernel: Tensor,
  dY: Tensor,
  opts: ConvTransposeOptions,
): { dX: Tensor; dKernel: Tensor; dBias: Float64Array } {
  const g = geometry(x, kernel, opts);
  const want = [g.n, g.oh, g.ow, g.cout];
  if (dY.shape.join() !== want.join())
    throw new Error(`conv2d_transpose: dY must be [${want}], got [${dY.shape}]`);
  const dX = tensor(x.shape);
  const dKernel = tensor(kernel.shape);
  eachTap(x, kernel, opts, (xi, ki, yi) => {
    dX.data[xi] += dY.data[yi] * kernel.data[ki];
    dKernel.data[ki] += dY.data[yi] * x.data[xi];
  });
  const dBias = new Float64Array(g.cout);
  for (let i = 0; i < dY.data.length; i++) dBias[i % g.cout] += dY.data[i];
  return { dX, dKernel, dBias };
}

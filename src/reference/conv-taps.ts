// What Conv2D, DepthwiseConv2D and Conv2DTranspose share: each is linear in x and in K, so one map of taps
// (xIndex, kIndex, yIndex) defines forward and backward alike:
//   y[yi] += x[xi] * K[ki]     dX[xi] += dY[yi] * K[ki]     dK[ki] += dY[yi] * x[xi]     dBias[c] += dY[.., c]
// The ops differ only in the map. The spatial part of it is the same window walk for all three (a
// transposed conv is the adjoint of a conv, so it walks the same windows with x and y swapped).
import { axisPadding } from './padding';
import { type Padding, type Tensor, tensor } from './tensor';

export interface ConvOptions {
  strides: [number, number];
  padding: Padding;
}

/** Calls f(xIndex, kIndex, yIndex) for every tap of an op; forward and backward both read this one map. */
export type TapMap = (f: (xi: number, ki: number, yi: number) => void) => void;

/**
 * A [kh, kw] window placed on every cell (oy, ox) of the `outer` grid reaches cell
 * (oy*sh - top + ky, ox*sw - left + kx) of the `inner` grid; taps outside inner are skipped (zero padding).
 */
export interface WindowWalk {
  n: number;
  outer: [number, number];
  inner: [number, number];
  kernel: [number, number];
  strides: [number, number];
  /** Padding before the first row and column of inner. */
  before: [number, number];
}

/** The windows of a conv over an [h, w] input: one per output cell, padded by TensorFlow's rule. */
export function convWalk(
  n: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  opts: ConvOptions,
): WindowWalk {
  const py = axisPadding(h, kh, opts.strides[0], opts.padding);
  const px = axisPadding(w, kw, opts.strides[1], opts.padding);
  return {
    n,
    outer: [py.out, px.out],
    inner: [h, w],
    kernel: [kh, kw],
    strides: opts.strides,
    before: [py.before, px.before],
  };
}

/**
 * f(outerPixel, innerPixel, tap) for every in-bounds tap of the walk, in row-major order: the pixels as flat
 * indices (b, y, x) into their grids, the tap as ky * kw + kx.
 */
export function eachWindowTap(
  g: WindowWalk,
  f: (outerPixel: number, innerPixel: number, tap: number) => void,
): void {
  const [oh, ow] = g.outer;
  const [ih, iw] = g.inner;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.strides;
  const [top, left] = g.before;
  for (let b = 0; b < g.n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - top + ky;
          if (iy < 0 || iy >= ih) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw - left + kx;
            if (ix >= 0 && ix < iw) f((b * oh + oy) * ow + ox, (b * ih + iy) * iw + ix, ky * kw + kx);
          }
        }
}

/** The dims of a validated NHWC input and rank-4 kernel; kOut is the kernel axis that is not the input's channels. */
export interface ConvDims {
  n: number;
  h: number;
  w: number;
  cin: number;
  kh: number;
  kw: number;
  kOut: number;
}

function convDims(op: string, x: Tensor, kernel: Tensor, layout: KernelLayout): ConvDims {
  if (x.shape.length !== 4) throw new Error(`${op}: input must be [N,H,W,C], got [${x.shape}]`);
  if (kernel.shape.length !== 4)
    throw new Error(`${op}: kernel must be [${layout.join(',')}], got [${kernel.shape}]`);
  const [n, h, w, cin] = x.shape;
  const [kh, kw, k2, k3] = kernel.shape;
  // The input's channels sit at axis 2 of a kernel except Conv2DTranspose's ([kh, kw, out, in]).
  const [kin, kOut] = layout[2] === 'in' ? [k2, k3] : [k3, k2];
  if (kin !== cin) throw new Error(`${op}: input has ${cin} channels but the kernel expects ${kin}`);
  return { n, h, w, cin, kh, kw, kOut };
}

/** The names of a kernel's axes, as error messages give them; the input's channels are the one named 'in'. */
export type KernelLayout = ['kh', 'kw', 'in', string] | ['kh', 'kw', string, 'in'];

/** The forward pass of a linear op: y (shape yShape, channels last) = bias + the sum over its taps. */
function tapsForward(
  op: string,
  taps: TapMap,
  x: Tensor,
  kernel: Tensor,
  bias: Float64Array | null,
  yShape: number[],
): Tensor {
  const cout = yShape[3];
  if (bias && bias.length !== cout) throw new Error(`${op}: bias has ${bias.length} values, need ${cout}`);
  const y = tensor(yShape);
  if (bias) for (let i = 0; i < y.data.length; i++) y.data[i] = bias[i % cout];
  taps((xi, ki, yi) => {
    y.data[yi] += x.data[xi] * kernel.data[ki];
  });
  return y;
}

/** The backward pass of a linear op through the same taps as its forward. */
function tapsBackward(
  op: string,
  taps: TapMap,
  x: Tensor,
  kernel: Tensor,
  dY: Tensor,
  yShape: number[],
): { dX: Tensor; dKernel: Tensor; dBias: Float64Array } {
  if (dY.shape.join() !== yShape.join()) throw new Error(`${op}: dY must be [${yShape}], got [${dY.shape}]`);
  const dX = tensor(x.shape);
  const dKernel = tensor(kernel.shape);
  taps((xi, ki, yi) => {
    dX.data[xi] += dY.data[yi] * kernel.data[ki];
    dKernel.data[ki] += dY.data[yi] * x.data[xi];
  });
  const cout = yShape[3];
  const dBias = new Float64Array(cout);
  for (let i = 0; i < dY.data.length; i++) dBias[i % cout] += dY.data[i];
  return { dX, dKernel, dBias };
}

/**
 * How a conv-like op maps its channels, given its validated dims: the window walk, y's shape, and
 * channels(xPixel, yPixel, tap, f) calling f(xIndex, kIndex, yIndex) for each channel pair of one spatial tap.
 * The walk's windows sit on y's pixels and reach into x, or (transposed) sit on x's and reach into y.
 */
export type ConvPlan<O> = (
  d: ConvDims,
  opts: O,
) => {
  walk: WindowWalk;
  yShape: number[];
  transposed?: boolean;
  channels: (xPixel: number, yPixel: number, tap: number, f: Parameters<TapMap>[0]) => void;
};

/** Forward and backward of a conv-like op from its kernel layout and channel map alone. */
export function linearConv<O>(op: string, layout: KernelLayout, planOf: ConvPlan<O>) {
  const plan = (x: Tensor, kernel: Tensor, opts: O) => {
    const p = planOf(convDims(op, x, kernel, layout), opts);
    const taps: TapMap = (f) =>
      eachWindowTap(p.walk, (outer, inner, tap) =>
        p.transposed ? p.channels(outer, inner, tap, f) : p.channels(inner, outer, tap, f),
      );
    return { taps, yShape: p.yShape };
  };
  return {
    forward(x: Tensor, kernel: Tensor, bias: Float64Array | null, opts: O): Tensor {
      const { taps, yShape } = plan(x, kernel, opts);
      return tapsForward(op, taps, x, kernel, bias, yShape);
    },
    backward(
      x: Tensor,
      kernel: Tensor,
      dY: Tensor,
      opts: O,
    ): { dX: Tensor; dKernel: Tensor; dBias: Float64Array } {
      const { taps, yShape } = plan(x, kernel, opts);
      return tapsBackward(op, taps, x, kernel, dY, yShape);
    },
  };
}

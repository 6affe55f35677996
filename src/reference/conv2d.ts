// Reference Conv2D (NHWC input, Keras kernel layout [kh, kw, Cin, Cout]), forward and backward in float64.
//   y[n, oy, ox, co] = b[co] + sum_{ky,kx,ci} x[n, oy*sh - top + ky, ox*sw - left + kx, ci] * K[ky, kx, ci, co]
// with out-of-bounds x reading as 0 ('same' zero padding). The backward pass scatters dY through the same
// index map, so forward and backward cannot disagree about padding.
import { axisPadding } from './padding';
import { type Padding, type Tensor, tensor } from './tensor';

export interface Conv2dOptions {
  strides: [number, number];
  padding: Padding;
}

interface ConvGeometry {
  n: number;
  h: number;
  w: number;
  cin: number;
  kh: number;
  kw: number;
  cout: number;
  oh: number;
  ow: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
}

function geometry(x: Tensor, kernel: Tensor, opts: Conv2dOptions): ConvGeometry {
  if (x.shape.length !== 4) throw new Error(`conv2d: input must be [N,H,W,C], got [${x.shape}]`);
  if (kernel.shape.length !== 4)
    throw new Error(`conv2d: kernel must be [kh,kw,Cin,Cout], got [${kernel.shape}]`);
  const [n, h, w, cin] = x.shape;
  const [kh, kw, kcin, cout] = kernel.shape;
  if (kcin !== cin) throw new Error(`conv2d: input has ${cin} channels but the kernel expects ${kcin}`);
  const [sh, sw] = opts.strides;
  const py = axisPadding(h, kh, sh, opts.padding);
  const px = axisPadding(w, kw, sw, opts.padding);
  return { n, h, w, cin, kh, kw, cout, oh: py.out, ow: px.out, sh, sw, top: py.before, left: px.before };
}

export function conv2dForward(
  x: Tensor,
  kernel: Tensor,
  bias: Float64Array | null,
  opts: Conv2dOptions,
): Tensor {
  const g = geometry(x, kernel, opts);
  if (bias && bias.length !== g.cout)
    throw new Error(`conv2d: bias has ${bias.length} values, need ${g.cout}`);
  const y = tensor([g.n, g.oh, g.ow, g.cout]);
  const X = x.data;
  const K = kernel.data;
  const Y = y.data;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const yBase = ((b * g.oh + oy) * g.ow + ox) * g.cout;
        for (let co = 0; co < g.cout; co++) Y[yBase + co] = bias ? bias[co] : 0;
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh - g.top + ky;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw - g.left + kx;
            if (ix < 0 || ix >= g.w) continue;
            const xBase = ((b * g.h + iy) * g.w + ix) * g.cin;
            for (let ci = 0; ci < g.cin; ci++) {
              const xv = X[xBase + ci];
              const kBase = ((ky * g.kw + kx) * g.cin + ci) * g.cout;
              for (let co = 0; co < g.cout; co++) Y[yBase + co] += xv * K[kBase + co];
            }
          }
        }
      }
    }
  }
  return y;
}

export function conv2dBackward(
  x: Tensor,
  kernel: Tensor,
  dY: Tensor,
  opts: Conv2dOptions,
): { dX: Tensor; dKernel: Tensor; dBias: Float64Array } {
  const g = geometry(x, kernel, opts);
  const want = [g.n, g.oh, g.ow, g.cout];
  if (dY.shape.join() !== want.join()) throw new Error(`conv2d: dY must be [${want}], got [${dY.shape}]`);
  const dX = tensor(x.shape);
  const dKernel = tensor(kernel.shape);
  const dBias = new Float64Array(g.cout);
  const X = x.data;
  const K = kernel.data;
  const G = dY.data;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const yBase = ((b * g.oh + oy) * g.ow + ox) * g.cout;
        for (let co = 0; co < g.cout; co++) dBias[co] += G[yBase + co];
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh - g.top + ky;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw - g.left + kx;
            if (ix < 0 || ix >= g.w) continue;
            const xBase = ((b * g.h + iy) * g.w + ix) * g.cin;
            for (let ci = 0; ci < g.cin; ci++) {
              const kBase = ((ky * g.kw + kx) * g.cin + ci) * g.cout;
              const xv = X[xBase + ci];
              let acc = 0;
              for (let co = 0; co < g.cout; co++) {
                const gy = G[yBase + co];
                acc += gy * K[kBase + co];
                dKernel.data[kBase + co] += gy * xv;
              }
              dX.data[xBase + ci] += acc;
            }
          }
        }
      }
    }
  }
  return { dX, dKernel, dBias };
}

// Reference MaxPooling2D / AveragePooling2D (NHWC), forward and backward in float64.
// Max: padding cells never win (TF pads with -inf); on ties the first cell in row-major window order takes
// the whole gradient. Avg: the sum over in-bounds cells divided by their count, so 'same' edge windows are
// not diluted by padding (TF's behaviour; it is what Keras users get).
import { axisPadding } from './padding';
import { type Padding, type Tensor, tensor } from './tensor';

export interface Pool2dOptions {
  mode: 'max' | 'avg';
  poolSize: [number, number];
  strides: [number, number];
  padding: Padding;
}

interface Window {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
}

function plan(x: Tensor, opts: Pool2dOptions) {
  if (x.shape.length !== 4) throw new Error(`pool2d: input must be [N,H,W,C], got [${x.shape}]`);
  const [n, h, w, c] = x.shape;
  const [ph, pw] = opts.poolSize;
  const [sh, sw] = opts.strides;
  const py = axisPadding(h, ph, sh, opts.padding);
  const px = axisPadding(w, pw, sw, opts.padding);
  // In-bounds window of output (oy, ox): rows [y0, y1), columns [x0, x1). Never empty: TF's 'same'
  // padding is at most k - 1 in total, so every window overlaps the input.
  const window = (oy: number, ox: number): Window => {
    const sy = oy * sh - py.before;
    const sx = ox * sw - px.before;
    return {
      y0: Math.max(sy, 0),
      y1: Math.min(sy + ph, h),
      x0: Math.max(sx, 0),
      x1: Math.min(sx + pw, w),
    };
  };
  return { n, h, w, c, oh: py.out, ow: px.out, window };
}

/** Flat index into x of the winning cell of one max window (first maximum in row-major order). */
function argmaxIn(
  X: Float64Array,
  win: Window,
  b: number,
  h: number,
  w: number,
  c: number,
  ch: number,
): number {
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let iy = win.y0; iy < win.y1; iy++) {
    for (let ix = win.x0; ix < win.x1; ix++) {
      const i = ((b * h + iy) * w + ix) * c + ch;
      // Strict '>' keeps the first of equal values; best < 0 lets an all -inf (or NaN) window still pick one.
      if (best < 0 || X[i] > bestValue) {
        best = i;
        bestValue = X[i];
      }
    }
  }
  return best;
}

export function pool2dForward(x: Tensor, opts: Pool2dOptions): Tensor {
  const p = plan(x, opts);
  const y = tensor([p.n, p.oh, p.ow, p.c]);
  const X = x.data;
  for (let b = 0; b < p.n; b++) {
    for (let oy = 0; oy < p.oh; oy++) {
      for (let ox = 0; ox < p.ow; ox++) {
        const win = p.window(oy, ox);
        const count = (win.y1 - win.y0) * (win.x1 - win.x0);
        for (let ch = 0; ch < p.c; ch++) {
          let v: number;
          if (opts.mode === 'max') {
            v = X[argmaxIn(X, win, b, p.h, p.w, p.c, ch)];
          } else {
            let sum = 0;
            for (let iy = win.y0; iy < win.y1; iy++) {
              for (let ix = win.x0; ix < win.x1; ix++) sum += X[((b * p.h + iy) * p.w + ix) * p.c + ch];
            }
            v = sum / count;
          }
          y.data[((b * p.oh + oy) * p.ow + ox) * p.c + ch] = v;
        }
      }
    }
  }
  return y;
}

export function pool2dBackward(x: Tensor, dY: Tensor, opts: Pool2dOptions): Tensor {
  const p = plan(x, opts);
  const want = [p.n, p.oh, p.ow, p.c];
  if (dY.shape.join() !== want.join()) throw new Error(`pool2d: dY must be [${want}], got [${dY.shape}]`);
  const dX = tensor(x.shape);
  for (let b = 0; b < p.n; b++) {
    for (let oy = 0; oy < p.oh; oy++) {
      for (let ox = 0; ox < p.ow; ox++) {
        const win = p.window(oy, ox);
        const count = (win.y1 - win.y0) * (win.x1 - win.x0);
        for (let ch = 0; ch < p.c; ch++) {
          const g = dY.data[((b * p.oh + oy) * p.ow + ox) * p.c + ch];
          if (opts.mode === 'max') {
            dX.data[argmaxIn(x.data, win, b, p.h, p.w, p.c, ch)] += g;
          } else {
            const share = g / count;
            for (let iy = win.y0; iy < win.y1; iy++) {
              for (let ix = win.x0; ix < win.x1; ix++)
                dX.data[((b * p.h + iy) * p.w + ix) * p.c + ch] += share;
            }
          }
        }
      }
    }
  }
  return dX;
}

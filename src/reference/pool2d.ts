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

function plan(x: Tensor, opts: Pool2dOptions) {
  if (x.shape.length !== 4) throw new Error(`pool2d: input must be [N,H,W,C], got [${x.shape}]`);
  const [n, h, w, c] = x.shape;
  const [ph, pw] = opts.poolSize;
  const [sh, sw] = opts.strides;
  const py = axisPadding(h, ph, sh, opts.padding);
  const px = axisPadding(w, pw, sw, opts.padding);
  // Flat indices into x of the in-bounds cells of output (b, oy, ox, ch)'s window, in row-major order. Never
  // empty: TF's 'same' padding is at most k - 1 in total, so every window overlaps the input.
  const cells = (b: number, oy: number, ox: number, ch: number): number[] => {
    const sy = oy * sh - py.before;
    const sx = ox * sw - px.before;
    const out: number[] = [];
    for (let iy = Math.max(sy, 0); iy < Math.min(sy + ph, h); iy++)
      for (let ix = Math.max(sx, 0); ix < Math.min(sx + pw, w); ix++)
        out.push(((b * h + iy) * w + ix) * c + ch);
    return out;
  };
  return { shape: [n, py.out, px.out, c], cells };
}

/** The winning cell of one max window: the first maximum in row-major order. */
function argmaxIn(X: Float64Array, cells: number[]): number {
  let best = cells[0];
  // Strict '>' keeps the first of equal values; starting at the first cell lets an all -inf (or NaN) window
  // still pick one.
  for (const i of cells) if (X[i] > X[best]) best = i;
  return best;
}

/** f(yIndex, window cells) for every output element. */
function eachWindow(p: ReturnType<typeof plan>, f: (yi: number, cells: number[]) => void): void {
  const [n, oh, ow, c] = p.shape;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ch = 0; ch < c; ch++) f(((b * oh + oy) * ow + ox) * c + ch, p.cells(b, oy, ox, ch));
}

export function pool2dForward(x: Tensor, opts: Pool2dOptions): Tensor {
  const p = plan(x, opts);
  const y = tensor(p.shape);
  const X = x.data;
  eachWindow(p, (yi, cells) => {
    if (opts.mode === 'max') y.data[yi] = X[argmaxIn(X, cells)];
    else {
      let sum = 0;
      for (const i of cells) sum += X[i];
      y.data[yi] = sum / cells.length;
    }
  });
  return y;
}

export function pool2dBackward(x: Tensor, dY: Tensor, opts: Pool2dOptions): Tensor {
  const p = plan(x, opts);
  if (dY.shape.join() !== p.shape.join())
    throw new Error(`pool2d: dY must be [${p.shape}], got [${dY.shape}]`);
  const dX = tensor(x.shape);
  eachWindow(p, (yi, cells) => {
    const g = dY.data[yi];
    if (opts.mode === 'max') dX.data[argmaxIn(x.data, cells)] += g;
    else for (const i of cells) dX.data[i] += g / cells.length;
  });
  return dX;
}

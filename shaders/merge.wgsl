// The merge layers (Keras Add, Subtract, Multiply, Average, Maximum, Concatenate) and the gradient sum of a
// tensor that fans out. Every entry is a grid-stride loop over COUNT elements, one element per step of an
// invocation (`//! grid_stride`: the entry runs its `_at` function per element); dispatch
// (min(ceil(COUNT / WG), 1024), 1, 1). Each `//! bindings` line numbers its variables from 0 in the order
// src/ops/merge.ts passes them.
//
// Elementwise merges of N inputs run as one `combine` of the first two and one `combine_into` per further
// input; OP picks the operation and SCALE multiplies the result (1/N on Average's last step, else 1):
//   Add y = sum x_k              dX_k = dY
//   Subtract y = x_0 - x_1       dX_0 = dY, dX_1 = -dY
//   Average y = sum x_k / N      dX_k = dY / N
//   Multiply y = prod x_k        dX_k = dY prod_{j != k} x_j
//   Maximum y = max x_k          dX_k = dY where x_k is the first input equal to y (TensorFlow's tie rule:
//                                maximum(a, b) sends the gradient to a when a >= b), else 0

override WG: u32 = 64u;
override COUNT: u32 = 1u;
/** 0 add, 1 subtract, 2 multiply, 3 maximum. */
override OP: u32 = 0u;
override SCALE: f32 = 1.0;

fn combineOp(a: f32, b: f32) -> f32 {
  switch OP {
    case 1u: { return a - b; }
    case 2u: { return a * b; }
    case 3u: { return max(a, b); }
    default: { return a + b; }
  }
}

//! bindings ca cb -> cy

/** y = OP(x_0, x_1) * SCALE. */
//! grid_stride combine(COUNT)
fn combine_at(i: u32) { cy[i] = combineOp(ca[i], cb[i]) * SCALE; }

/** dst = dY * x_j: the first factor of Multiply's dX_k (bindings of `combine`: ca = dY, cb = x_j). */
//! grid_stride product_grad(COUNT)
fn product_grad_at(i: u32) { cy[i] = ca[i] * cb[i]; }

//! bindings ib -> iy

/** y = OP(y, x_k) * SCALE: the next input folded into the running result. */
//! grid_stride combine_into(COUNT)
fn combine_into_at(i: u32) { iy[i] = combineOp(iy[i], ib[i]) * SCALE; }

/** dst += src: one more gradient contribution of a tensor with several consumers (same bindings). */
//! grid_stride accumulate(COUNT)
fn accumulate_at(i: u32) { iy[i] += ib[i]; }

/** dst *= src: Multiply's dX_k gathers the other inputs one at a time (same bindings). */
//! grid_stride scale_into(COUNT)
fn scale_into_at(i: u32) { iy[i] *= ib[i]; }

/** dst = src * SCALE: Add, Subtract and Average backward (dY times 1, -1 or 1/N) (same bindings). */
//! grid_stride scaled_copy(COUNT)
fn scaled_copy_at(i: u32) { iy[i] = ib[i] * SCALE; }

override FIRST: bool = true;

//! bindings mx my mdy -> claimed mdx

/**
 * Maximum's dX_k, inputs taken in order k = 0, 1, ...: x_k gets dY where it equals y and no earlier input
 * claimed the element; `claimed` remembers the claims (written, not read, on the FIRST input).
 */
//! grid_stride max_grad(COUNT)
fn max_grad_at(i: u32) {
  let taken = select(claimed[i] != 0.0, false, FIRST);
  let hit = mx[i] == my[i] && !taken;
  mdx[i] = select(0.0, mdy[i], hit);
  claimed[i] = select(0.0, 1.0, hit || taken);
}

// ---- Concatenate along an axis: every tensor is [OUTER, length along the axis, INNER]. Input k occupies
// [OFFSET, OFFSET + LEN) of the output's TOTAL positions along the axis. COUNT = OUTER * LEN * INNER.
override LEN: u32 = 1u;
override INNER: u32 = 1u;
override TOTAL: u32 = 1u;
override OFFSET: u32 = 0u;

fn concatIndex(i: u32) -> u32 {
  let span = LEN * INNER;
  let o = i / span;
  return o * TOTAL * INNER + OFFSET * INNER + (i - o * span);
}

/** y[outer, OFFSET + j, inner] = x_k[outer, j, inner] (bindings ib = x_k, iy = y). */
//! grid_stride concat_place(COUNT)
fn concat_place_at(i: u32) { iy[concatIndex(i)] = ib[i]; }

/** dX_k[outer, j, inner] = dY[outer, OFFSET + j, inner] (bindings ib = dY, iy = dX_k). */
//! grid_stride concat_slice(COUNT)
fn concat_slice_at(i: u32) { iy[i] = ib[concatIndex(i)]; }

// Binary cross-entropy (sigmoid fused) and mean squared error against targets made from the sparse labels, and
// to_categorical on the GPU for categorical cross-entropy: shaders/losses.wgsl, reference src/reference/losses.ts.
import type { Dispatch, GpuContext } from '../gpu/context';
import { gridStride, record } from './common';
import type { LossBuffers, LossOp } from './types';

export interface PointwiseLossOptions {
  batch: number;
  /** Units of the last layer; one unit takes the label (0/1) as its target, more take its one-hot row. */
  units: number;
  loss: 'binary_crossentropy' | 'mean_squared_error';
}

/** `labels` must be the sparse i32 labels; `probs` has 2 columns for one unit, else `units`. */
export function createPointwiseLoss(ctx: GpuContext, o: PointwiseLossOptions, b: LossBuffers): LossOp {
  let WG = 32;
  while (WG < o.batch && WG < 256) WG *= 2;
  const buffers = [b.logits, b.labels, b.probs, b.dLogits, b.metrics];
  const LOSS = o.loss === 'binary_crossentropy' ? 0 : 1;
  const stem = o.loss === 'binary_crossentropy' ? 'sigmoid_bce' : 'mse';
  const mode = (MODE: number, label: string) =>
    record(
      ctx,
      'losses',
      'pointwise',
      { WG, BATCH: o.batch, UNITS: o.units, LOSS, MODE },
      buffers,
      [1, 1, 1],
      `${stem}:${label}`,
    );
  return { train: [mode(0, 'train')], evaluate: [mode(1, 'evaluate')], predict: [mode(2, 'predict')] };
}

/** oneHot[batch, classes] from the sparse labels (padding rows -1 become all-zero rows). */
export function oneHotDispatch(
  ctx: GpuContext,
  labels: GPUBuffer,
  oneHot: GPUBuffer,
  batch: number,
  classes: number,
): Dispatch {
  const WG = 64;
  return record(
    ctx,
    'losses',
    'one_hot',
    { WG, BATCH: batch, CLASSES: classes },
    [labels, oneHot],
    gridStride(batch * classes, WG),
    'one_hot',
  );
}

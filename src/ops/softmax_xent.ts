// Fused softmax + categorical cross-entropy (sparse or one-hot labels) with metrics summed on the GPU:
// one dispatch of one workgroup per mode (see shaders/softmax_xent.wgsl).
import type { GpuContext } from '../gpu/context';
import { record } from './common';
import type { LossBuffers, LossOp } from './types';

export interface LossOptions {
  batch: number;
  classes: number;
  sparse: boolean;
}

export function createLossOp(ctx: GpuContext, o: LossOptions, b: LossBuffers): LossOp {
  // 256 invocations reduce a batch of up to 256 rows in one step; smaller batches need fewer.
  let WG = 32;
  while (WG < o.batch && WG < 256) WG *= 2;
  const buffers = [b.logits, b.labels, b.probs, b.dLogits, b.metrics];
  const mode = (MODE: number, label: string) =>
    record(
      ctx,
      'softmax_xent',
      'main',
      { WG, BATCH: o.batch, CLASSES: o.classes, SPARSE: o.sparse ? 1 : 0, MODE },
      buffers,
      [1, 1, 1],
      label,
    );
  return {
    train: [mode(0, 'softmax_xent:train')],
    evaluate: [mode(1, 'softmax_xent:evaluate')],
    predict: [mode(2, 'softmax_xent:predict')],
  };
}

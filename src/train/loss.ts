// The loss of a compiled network, as its OutputPlan says: fused softmax cross-entropy (sparse labels, or
// one-hot rows made on the GPU for categorical_crossentropy), or the per-unit losses (sigmoid binary
// cross-entropy, mean squared error).
import type { GpuContext } from '../gpu/context';
import { createLossOp, type LossBuffers, type LossOp } from '../ops';
import { createPointwiseLoss, oneHotDispatch } from '../ops/losses';
import type { OutputPlan } from './output';

export function createLoss(ctx: GpuContext, plan: OutputPlan, batch: number, b: LossBuffers): LossOp {
  if (plan.kernel === 'softmax_xent') {
    if (!plan.oneHot) return createLossOp(ctx, { batch, classes: plan.classes, sparse: true }, b);
    const oneHot = ctx.arena.storage('labels/one-hot', batch * plan.classes);
    const encode = oneHotDispatch(ctx, b.labels, oneHot, batch, plan.classes);
    const op = createLossOp(ctx, { batch, classes: plan.classes, sparse: false }, { ...b, labels: oneHot });
    // Predict reads no labels, so it needs no one-hot rows.
    return { train: [encode, ...op.train], evaluate: [encode, ...op.evaluate], predict: op.predict };
  }
  const loss = plan.kernel === 'sigmoid_bce' ? 'binary_crossentropy' : 'mean_squared_error';
  return createPointwiseLoss(ctx, { batch, units: plan.units, loss }, b);
}

// A trainer on random data for the per-kernel timing (Trainer.profileStep times fit's own step schedule:
// batch gather, forward, loss, backward, optimizer), and each kernel label's kind and, for the conv and dense
// GEMMs, FLOPs.
import type { GpuContext } from '../../src/gpu/context';
import { type BuiltModel, Rng } from '../../src/model';
import { axisPlan } from '../../src/ops/common';
import { Trainer } from '../../src/train';
import { ADAM } from './models';
import type { KernelRow } from './types';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** FLOPs of a conv/dense GEMM kernel by its label (`conv2d_1:backward_dw`; dcol is dX's GEMM before col2im), 0 else. */
export function gemmFlops(model: BuiltModel, batch: number, label: string): number {
  const [layerName, what] = label.split(':');
  const bl = model.layers.find((l) => l.layer.config.name === layerName);
  if (!bl || !['forward', 'backward_dx', 'backward_dcol', 'backward_dw'].includes(what)) return 0;
  const l = bl.layer;
  if (l.className === 'Dense') return 2 * batch * bl.inputShape[0] * l.config.units;
  if (l.className === 'Conv2D') {
    const [h, w, cin] = bl.inputShape;
    const [kh, kw] = l.config.kernel_size;
    const oh = axisPlan(h, kh, l.config.strides[0], l.config.padding).out;
    const ow = axisPlan(w, kw, l.config.strides[1], l.config.padding).out;
    return 2 * batch * oh * ow * l.config.filters * kh * kw * cin;
  }
  return 0;
}

export function kindOf(label: string): KernelRow['kind'] {
  if (label.startsWith('softmax_xent')) return 'loss';
  if (/^(adam|sgd|rmsprop)/.test(label)) return 'optimizer';
  if (/backward|reduce_dw|:dZ/.test(label)) return 'backward';
  if (/forward|copy|activation/.test(label)) return 'forward';
  if (/gather/.test(label)) return 'gather';
  return 'other';
}

/** A trainer for `model` on random uint8 data, one trainOnBatch done (pipelines warm). */
export async function benchTrainer(
  ctx: GpuContext,
  model: BuiltModel,
  batch: number,
  seed: number,
): Promise<{ trainer: Trainer; trainStep: () => Promise<unknown> }> {
  const trainer = await Trainer.create(
    ctx,
    model,
    {
      optimizer: { name: 'adam', ...ADAM },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
      batch_size: batch,
      epochs: 1,
      validation_split: 0,
    },
    { seed },
  );
  const [h, w, c] = model.inputShape;
  const classes = size(model.layers[model.layers.length - 1].outputShape);
  const rng = new Rng(seed);
  const count = batch * 2;
  const images = Uint8Array.from({ length: count * h * w * c }, () => Math.floor(rng.next() * 256));
  const labels = Int32Array.from({ length: count }, () => Math.floor(rng.next() * classes));
  trainer.setDataset({
    height: h,
    width: w,
    channels: c,
    classNames: Array.from({ length: classes }, (_, i) => String(i)),
    normalization: { kind: 'scale255' },
    train: { images, labels, count },
  });
  const first = images.subarray(0, batch * h * w * c);
  const trainStep = () => trainer.trainOnBatch(first, labels.subarray(0, batch), batch);
  await trainStep();
  return { trainer, trainStep };
}

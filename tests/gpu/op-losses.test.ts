// The per-unit loss kernels and the GPU one-hot encoding (shaders/losses.wgsl) against the float64 reference
// (src/reference/losses.ts): class scores, gradient and the summed metrics, padding rows ignored.
import { describe, expect, it } from 'vitest';
import { encodeDispatches } from '../../src/gpu/context';
import { Rng } from '../../src/model/random';
import { createLossOp } from '../../src/ops';
import { createPointwiseLoss, oneHotDispatch } from '../../src/ops/losses';
import { oneHot, pointwiseLoss } from '../../src/reference/losses';
import { softmaxCrossEntropy } from '../../src/reference/softmax_xent';
import { readF32 } from '../helpers/node-gpu';
import { expectClose, randomTensor, SENTINEL, testContext, upload } from './harness';

type Kind = 'binary_crossentropy' | 'mean_squared_error';

async function runPointwise(
  kind: Kind,
  units: number,
  batch: number,
  labels: Int32Array<ArrayBuffer>,
  scale: number,
) {
  const ctx = await testContext();
  const z = randomTensor([batch, units], new Rng(units * 7 + batch), -scale, scale);
  const cols = units === 1 ? 2 : units;
  const labelBuf = ctx.arena.storage('labels', batch);
  ctx.device.queue.writeBuffer(labelBuf, 0, labels);
  const b = {
    logits: upload(ctx, 'z', z.data),
    labels: labelBuf,
    probs: upload(ctx, 'probs', new Float32Array(batch * cols).fill(SENTINEL)),
    dLogits: upload(ctx, 'dZ', new Float32Array(batch * units).fill(SENTINEL)),
    metrics: upload(ctx, 'metrics', [0, 0, 0, 0]),
  };
  const op = createPointwiseLoss(ctx, { batch, units, loss: kind }, b);
  const enc = ctx.device.createCommandEncoder();
  const pass = enc.beginComputePass();
  encodeDispatches(pass, op.train);
  encodeDispatches(pass, op.evaluate);
  pass.end();
  ctx.device.queue.submit([enc.finish()]);
  const out = {
    z,
    probs: await readF32(ctx.device, b.probs, batch * cols),
    dZ: await readF32(ctx.device, b.dLogits, batch * units),
    metrics: await readF32(ctx.device, b.metrics, 4),
  };
  ctx.arena.destroyAll();
  return out;
}

describe('per-unit loss kernels vs the reference', () => {
  for (const kind of ['binary_crossentropy', 'mean_squared_error'] as const) {
    for (const [units, batch] of [
      [1, 37],
      [5, 300],
    ]) {
      it(`${kind}, ${units} unit(s), batch ${batch} with padding rows`, async () => {
        const labels = Int32Array.from({ length: batch }, (_, i) =>
          i >= batch - 3 ? -1 : (i * 7) % (units === 1 ? 2 : units),
        );
        const got = await runPointwise(kind, units, batch, labels, kind === 'binary_crossentropy' ? 6 : 1.5);
        const ref = pointwiseLoss(kind, got.z, labels);
        expectClose('probs', got.probs, ref.probs.data);
        expectClose('dZ', got.dZ, ref.dOutputs.data, 1e-5);
        // train and evaluate each added the batch once.
        expect(got.metrics[2]).toBe(2 * (batch - 3));
        expect(got.metrics[0] / 2).toBeCloseTo(ref.lossSum, 3);
        expect(got.metrics[1] / 2).toBeCloseTo(ref.correct, 4);
        expect(got.metrics[3]).toBe(0);
      });
    }
  }

  it('one-hot encodes the sparse labels on the GPU, and categorical CE over them equals the sparse loss', async () => {
    const ctx = await testContext();
    const batch = 70;
    const classes = 10;
    const labels = Int32Array.from({ length: batch }, (_, i) => (i === batch - 1 ? -1 : (i * 3) % classes));
    const labelBuf = ctx.arena.storage('labels', batch);
    ctx.device.queue.writeBuffer(labelBuf, 0, labels);
    const hot = upload(ctx, 'onehot', new Float32Array(batch * classes).fill(SENTINEL));
    const logits = randomTensor([batch, classes], new Rng(5), -4, 4);
    const b = {
      logits: upload(ctx, 'logits', logits.data),
      labels: hot,
      probs: ctx.arena.storage('probs', batch * classes),
      dLogits: ctx.arena.storage('dLogits', batch * classes),
      metrics: upload(ctx, 'metrics', [0, 0, 0, 0]),
    };
    const op = createLossOp(ctx, { batch, classes, sparse: false }, b);
    const enc = ctx.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    encodeDispatches(pass, [oneHotDispatch(ctx, labelBuf, hot, batch, classes), ...op.train]);
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
    const gotHot = await readF32(ctx.device, hot, batch * classes);
    expect(Array.from(gotHot)).toEqual(Array.from(oneHot(labels, classes).data));
    const metrics = await readF32(ctx.device, b.metrics, 4);
    const valid = { shape: [batch - 1, classes], data: logits.data.slice(0, (batch - 1) * classes) };
    const ref = softmaxCrossEntropy(valid, labels.slice(0, batch - 1));
    expect(metrics[2]).toBe(batch - 1);
    expect(metrics[0]).toBeCloseTo(ref.lossSum, 3);
    expect(metrics[1]).toBe(ref.correct);
    ctx.arena.destroyAll();
  });
});

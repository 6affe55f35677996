import { describe, it } from 'vitest';
import { KERNEL_FAMILIES } from '../../src/gpu/family';
import { Activation, Dense, Flatten } from '../../src/model/factories';
import { checkLayer } from './harness';

// Every Dense case, forward and backward, runs on both kernel families (src/gpu/family.ts): the tiled dense
// GEMMs GPUs get, and the barrier-free 1x1-conv kernels CPU adapters get.
// Tolerance: max abs error <= 1e-4 * (1 + max |reference|) (float32 kernels against float64).
// The layer activations Dense fuses into its GEMMs (src/ops/common.ts FUSABLE) that Keras layers accept here.
const FUSED = ['linear', 'relu', 'sigmoid', 'tanh', 'elu', 'leaky_relu'];

for (const family of KERNEL_FAMILIES) {
  describe(`Dense (${family}) on the GPU against the reference`, () => {
    it('relu, LeNet dense_1 shape (400 -> 120), batch 64', async () => {
      await checkLayer({ family, layer: Dense({ units: 120, activation: 'relu' }), input: [400], batch: 64 });
    });
    it('odd sizes, batch 1, every fused activation', async () => {
      for (const activation of FUSED) {
        await checkLayer({ family, layer: Dense({ units: 7, activation }), input: [13], batch: 1, seed: 3 });
      }
    });
    it('several workgroups in every dimension (batch 70, 150 -> 90)', async () => {
      await checkLayer({
        family,
        layer: Dense({ units: 90, activation: 'tanh' }),
        input: [150],
        batch: 70,
        seed: 5,
      });
    });
    it('softmax as the layer activation, and as logits when the loss owns it', async () => {
      await checkLayer({ family, layer: Dense({ units: 10, activation: 'softmax' }), input: [33], batch: 5 });
      await checkLayer({
        family,
        layer: Dense({ units: 10, activation: 'softmax' }),
        input: [33],
        batch: 5,
        softmaxInLoss: true,
      });
    });
    it('no bias, first layer (dX skipped)', async () => {
      await checkLayer({
        family,
        layer: Dense({ units: 6, use_bias: false }),
        input: [9],
        batch: 3,
        first: true,
      });
    });
  });
}

describe('Activation and Flatten layers', () => {
  it('every activation forward and backward, softmax over the last axis', async () => {
    for (const activation of ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'leaky_relu']) {
      await checkLayer({ layer: Activation({ activation }), input: [3, 5, 7], batch: 2, seed: 11 });
    }
    await checkLayer({ layer: Activation({ activation: 'leaky_relu', alpha: 0.3 }), input: [17], batch: 3 });
    await checkLayer({ layer: Activation({ activation: 'elu', alpha: 0.7 }), input: [17], batch: 3 });
  });
  it('Flatten records no dispatches and passes values through the aliased buffers', async () => {
    await checkLayer({ layer: Flatten(), input: [4, 3, 5], batch: 2 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conv2D, Dense } from '../../src/model/factories';
import { type ConvVariant, convTuning, convVariant, directTile } from '../../src/ops/conv2d';
import { checkLayer } from './harness';

describe('conv variant choice', () => {
  const device = (adapterInfo?: Partial<GPUAdapterInfo>) => ({ adapterInfo }) as unknown as GPUDevice;
  it('CPU adapters get the direct kernels, GPUs and unknown adapters the tiled ones, unless forced', () => {
    expect(convVariant(device({ vendor: 'google', architecture: 'swiftshader' }))).toBe('direct');
    expect(convVariant(device({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }))).toBe(
      'direct',
    );
    expect(convVariant(device({ vendor: 'nvidia', architecture: 'ampere' }))).toBe('tiled');
    expect(convVariant(device())).toBe('tiled');
    convTuning.variant = 'tiled';
    expect(convVariant(device({ vendor: 'google', architecture: 'swiftshader' }))).toBe('tiled');
    convTuning.variant = 'auto';
  });
  it('direct lanes: rows for N <= 8, consecutive columns for wider N', () => {
    expect(directTile(50176, 6).constants).toEqual({ NL: 1, RN: 6, WG: 64 });
    expect(directTile(50176, 7).constants).toEqual({ NL: 1, RN: 8, WG: 64 });
    expect(directTile(26, 6)).toEqual({ constants: { NL: 1, RN: 6, WG: 8 }, rows: 32, cols: 6 });
    expect(directTile(6400, 16).constants).toEqual({ NL: 4, RN: 4, WG: 64 });
    expect(directTile(6400, 70).cols).toBe(64);
  });
});

// Every case runs through both kernel families: the workgroup-tiled one (real GPUs) and the barrier-free one
// (CPU adapters). Tolerance: max abs error <= 1e-4 * (1 + max |reference|) (float32 sums of up to 6400
// products against float64).
for (const variant of ['tiled', 'direct'] as ConvVariant[]) {
  describe(`Conv2D (implicit GEMM, ${variant}) on the GPU against the reference`, () => {
    beforeAll(() => {
      convTuning.variant = variant;
    });
    afterAll(() => {
      convTuning.variant = 'auto';
    });
    it('LeNet conv1: 5x5 valid, 1 -> 6 channels, 32x32, batch 2, relu, first layer, split-K dK', async () => {
      await checkLayer({
        layer: Conv2D({ filters: 6, kernel_size: 5, activation: 'relu' }),
        input: [32, 32, 1],
        batch: 2,
        first: true,
      });
    });
    it('LeNet conv2: 5x5 valid, 6 -> 16 channels, 14x14, batch 4, relu', async () => {
      await checkLayer({
        layer: Conv2D({ filters: 16, kernel_size: 5, activation: 'relu' }),
        input: [14, 14, 6],
        batch: 4,
      });
    });
    it("strides 2, 'same' padding, odd sizes, channels not divisible by 4, batch 1", async () => {
      for (const padding of ['same', 'valid']) {
        await checkLayer({
          layer: Conv2D({ filters: 5, kernel_size: 3, strides: 2, padding, activation: 'tanh' }),
          input: [9, 7, 3],
          batch: 1,
          seed: 7,
        });
      }
      await checkLayer({
        layer: Conv2D({
          filters: 7,
          kernel_size: [2, 3],
          strides: [1, 2],
          padding: 'same',
          activation: 'elu',
        }),
        input: [6, 8, 5],
        batch: 2,
      });
    });
    it("1x1 and 5x5 'same' kernels, no bias, sigmoid", async () => {
      await checkLayer({
        layer: Conv2D({ filters: 9, kernel_size: 1, activation: 'sigmoid' }),
        input: [5, 5, 6],
        batch: 3,
      });
      // 8 input channels: dX uses the wide 4x4 tile.
      await checkLayer({
        layer: Conv2D({ filters: 12, kernel_size: 3, padding: 'same', activation: 'relu' }),
        input: [7, 6, 8],
        batch: 2,
      });
      await checkLayer({
        layer: Conv2D({ filters: 3, kernel_size: 5, padding: 'same', use_bias: false }),
        input: [6, 5, 2],
        batch: 2,
      });
    });
    it('several workgroups tile every dimension (70 filters, 12x12x10, batch 3) and softmax over channels', async () => {
      await checkLayer({
        layer: Conv2D({ filters: 70, kernel_size: 3, padding: 'same', activation: 'leaky_relu' }),
        input: [12, 12, 10],
        batch: 3,
      });
      // 9 filters: 4 lanes side by side on columns (direct), 3 of the 16 columns clamped.
      await checkLayer({
        layer: Conv2D({ filters: 9, kernel_size: 3, strides: 2, padding: 'same', activation: 'elu' }),
        input: [7, 7, 4],
        batch: 2,
      });
      await checkLayer({
        layer: Conv2D({ filters: 4, kernel_size: 3, activation: 'softmax' }),
        input: [6, 6, 2],
        batch: 2,
      });
    });
  });
}

// On CPU adapters Dense runs as a 1x1 conv through the direct conv kernels (src/ops/dense.ts); the tiled
// dense kernels are what GPUs run. Both against the reference.
for (const variant of ['tiled', 'direct'] as ConvVariant[]) {
  describe(`Dense (${variant}) on the GPU against the reference`, () => {
    beforeAll(() => {
      convTuning.variant = variant;
    });
    afterAll(() => {
      convTuning.variant = 'auto';
    });
    it('relu 150 -> 70, batch 9; tanh 13 -> 6 first layer without bias; softmax (unfused) 11 -> 17', async () => {
      await checkLayer({ layer: Dense({ units: 70, activation: 'relu' }), input: [150], batch: 9 });
      await checkLayer({
        layer: Dense({ units: 6, activation: 'tanh', use_bias: false }),
        input: [13],
        batch: 3,
        first: true,
      });
      await checkLayer({
        layer: Dense({ units: 17, activation: 'softmax' }),
        input: [11],
        batch: 5,
        seed: 9,
      });
      await checkLayer({
        layer: Dense({ units: 10, activation: 'softmax' }),
        input: [33],
        batch: 5,
        softmaxInLoss: true,
      });
    });
  });
}

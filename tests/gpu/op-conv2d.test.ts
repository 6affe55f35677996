import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/gpu/context';
import { KERNEL_FAMILIES, kernelFamilyFor } from '../../src/gpu/family';
import { Conv2D } from '../../src/model/factories';
import { directTile } from '../../src/ops/gemm';
import { checkLayer, type OpCase } from './harness';

describe('kernel family choice', () => {
  const device = (adapterInfo?: Partial<GPUAdapterInfo>) => ({ adapterInfo }) as unknown as GPUDevice;
  it('CPU adapters get the direct kernels, GPUs and unknown adapters the tiled ones, unless the context is told', () => {
    expect(kernelFamilyFor(device({ vendor: 'google', architecture: 'swiftshader' }))).toBe('direct');
    expect(kernelFamilyFor(device({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }))).toBe(
      'direct',
    );
    expect(kernelFamilyFor(device({ vendor: 'nvidia', architecture: 'ampere' }))).toBe('tiled');
    expect(kernelFamilyFor(device())).toBe('tiled');
    const swiftshader = device({ vendor: 'google', architecture: 'swiftshader' });
    expect(createContext(swiftshader).family).toBe('direct');
    expect(createContext(swiftshader, 'tiled').family).toBe('tiled');
  });
  it('direct lanes: rows for N <= 8, consecutive columns for wider N, 8 columns and 4 or 8 rows each', () => {
    expect(directTile(50176, 6).constants).toEqual({ NL: 1, RN: 6, WG: 64, RM: 4 });
    expect(directTile(50176, 7, 8).constants).toEqual({ NL: 1, RN: 8, WG: 64, RM: 8 });
    // A small M is split over at least two workgroups (a CPU adapter runs each on one core), down to 4 lanes.
    expect(directTile(26, 6)).toEqual({ constants: { NL: 1, RN: 6, WG: 4, RM: 4 }, rows: 16, cols: 6 });
    expect(directTile(120, 10, 8)).toEqual({
      constants: { NL: 2, RN: 8, WG: 16, RM: 8 },
      rows: 64,
      cols: 16,
    });
    expect(directTile(26, 6, 8)).toEqual({ constants: { NL: 1, RN: 6, WG: 4, RM: 8 }, rows: 32, cols: 6 });
    expect(directTile(6400, 16).constants).toEqual({ NL: 2, RN: 8, WG: 64, RM: 4 });
    expect(directTile(6400, 64, 8)).toEqual({
      constants: { NL: 8, RN: 8, WG: 64, RM: 8 },
      rows: 64,
      cols: 64,
    });
    expect(directTile(6400, 70).cols).toBe(64);
  });
});

// Every case runs through both kernel families: the workgroup-tiled one (real GPUs) and the barrier-free one
// (CPU adapters). Tolerance: max abs error <= 1e-4 * (1 + max |reference|) (float32 sums of up to 6400
// products against float64).
const CASES: [string, Omit<OpCase, 'family'>[]][] = [
  [
    'LeNet conv1: 5x5 valid, 1 -> 6 channels, 32x32, batch 2, relu, first layer, split-K dK',
    [
      {
        layer: Conv2D({ filters: 6, kernel_size: 5, activation: 'relu' }),
        input: [32, 32, 1],
        batch: 2,
        first: true,
      },
    ],
  ],
  [
    'LeNet conv2: 5x5 valid, 6 -> 16 channels, 14x14, batch 4, relu',
    [{ layer: Conv2D({ filters: 16, kernel_size: 5, activation: 'relu' }), input: [14, 14, 6], batch: 4 }],
  ],
  [
    "strides 2, 'same' padding, odd sizes, channels not divisible by 4, batch 1",
    [
      ...['same', 'valid'].map((padding) => ({
        layer: Conv2D({ filters: 5, kernel_size: 3, strides: 2, padding, activation: 'tanh' }),
        input: [9, 7, 3],
        batch: 1,
        seed: 7,
      })),
      {
        layer: Conv2D({
          filters: 7,
          kernel_size: [2, 3],
          strides: [1, 2],
          padding: 'same',
          activation: 'elu',
        }),
        input: [6, 8, 5],
        batch: 2,
      },
    ],
  ],
  [
    "1x1 and 5x5 'same' kernels, no bias, sigmoid",
    [
      { layer: Conv2D({ filters: 9, kernel_size: 1, activation: 'sigmoid' }), input: [5, 5, 6], batch: 3 },
      // 8 input channels: dX uses the wide 4x4 tile.
      {
        layer: Conv2D({ filters: 12, kernel_size: 3, padding: 'same', activation: 'relu' }),
        input: [7, 6, 8],
        batch: 2,
      },
      {
        layer: Conv2D({ filters: 3, kernel_size: 5, padding: 'same', use_bias: false }),
        input: [6, 5, 2],
        batch: 2,
      },
    ],
  ],
  [
    'several workgroups tile every dimension (70 filters, 12x12x10, batch 3) and softmax over channels',
    [
      {
        layer: Conv2D({ filters: 70, kernel_size: 3, padding: 'same', activation: 'leaky_relu' }),
        input: [12, 12, 10],
        batch: 3,
      },
      // 9 filters: 4 lanes side by side on columns (direct), 3 of the 16 columns clamped.
      {
        layer: Conv2D({ filters: 9, kernel_size: 3, strides: 2, padding: 'same', activation: 'elu' }),
        input: [7, 7, 4],
        batch: 2,
      },
      { layer: Conv2D({ filters: 4, kernel_size: 3, activation: 'softmax' }), input: [6, 6, 2], batch: 2 },
    ],
  ],
];

for (const family of KERNEL_FAMILIES) {
  describe(`Conv2D (implicit GEMM, ${family}) on the GPU against the reference`, () => {
    for (const [title, cases] of CASES) {
      it(title, async () => {
        for (const c of cases) await checkLayer({ ...c, family });
      });
    }
  });
}

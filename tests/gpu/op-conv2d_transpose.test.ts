// Conv2DTranspose against the float64 reference, on both kernel families: its GEMMs are conv2d's kernels (the
// tiled ones for GPUs, the barrier-free ones for CPU adapters), its bias / activation / dBias passes are one
// family (shaders/conv2d_transpose.wgsl).
import { describe, it } from 'vitest';
import { KERNEL_FAMILIES, type KernelFamily } from '../../src/gpu/family';
import type { ActivationName } from '../../src/model/activations';
import type { Layer, Padding, Pair } from '../../src/model/layers';
import { Rng } from '../../src/model/random';
import type { ParamSpec } from '../../src/model/shapes';
import { activationBackward, activationForward } from '../../src/reference/activations';
import {
  conv2dTransposeBackward,
  conv2dTransposeForward,
  transposeOutSize,
} from '../../src/reference/conv2d_transpose';
import { expectClose } from './harness';
import { builtLayer } from './param-harness';
import { runOnRandom } from './random-param-run';

const TOL = 1e-4;

interface TCase {
  input: number[];
  batch: number;
  filters: number;
  kernel: Pair;
  strides: Pair;
  padding: Padding;
  activation?: ActivationName;
  useBias?: boolean;
  first?: boolean;
}

async function check(c: TCase, family: KernelFamily) {
  const [h, w, cin] = c.input;
  const useBias = c.useBias ?? true;
  const layer: Layer = {
    className: 'Conv2DTranspose',
    config: {
      name: 'conv2d_transpose',
      filters: c.filters,
      kernel_size: c.kernel,
      strides: c.strides,
      padding: c.padding,
      activation: c.activation ?? 'linear',
      use_bias: useBias,
      kernel_initializer: 'glorot_uniform',
      bias_initializer: 'zeros',
    },
  };
  const out = [
    transposeOutSize(h, c.kernel[0], c.strides[0], c.padding),
    transposeOutSize(w, c.kernel[1], c.strides[1], c.padding),
    c.filters,
  ];
  const specs: ParamSpec[] = [
    { name: 'kernel', shape: [...c.kernel, c.filters, cin], initializer: 'glorot_uniform' },
    ...(useBias ? [{ name: 'bias', shape: [c.filters], initializer: 'zeros' as const }] : []),
  ];
  const built = builtLayer(layer, c.input, out, specs);
  const rng = new Rng(h * 1000 + w * 100 + cin * 10 + c.filters);
  const { x, dY, values, run } = await runOnRandom(built, c.batch, rng, { first: c.first, family });
  const kernel = values.kernel;
  const bias = values.bias?.data ?? null;
  const opts = { strides: c.strides, padding: c.padding };
  const act = c.activation ?? 'linear';
  const z = conv2dTransposeForward(x, kernel, bias, opts);
  const y = activationForward(act, z);
  const dZ = activationBackward(act, z, y, dY);
  const ref = conv2dTransposeBackward(x, kernel, dZ, opts);
  const what = `Conv2DTranspose ${JSON.stringify(c)} (${family})`;
  expectClose(`${what} y`, run.y, y.data, TOL);
  if (!c.first) expectClose(`${what} dX`, run.dX, ref.dX.data, TOL);
  expectClose(`${what} dK`, run.grads.kernel, ref.dKernel.data, TOL);
  if (bias) expectClose(`${what} dBias`, run.grads.bias, ref.dBias, TOL);
}

for (const family of KERNEL_FAMILIES) {
  describe(`Conv2DTranspose (conv2d kernels, ${family}) on the GPU against the reference`, () => {
    it("decoder upsampling: 3x3 stride 2 'same' relu, 8x8x8 -> 16x16x4, batch 2", async () => {
      await check(
        {
          input: [8, 8, 8],
          batch: 2,
          filters: 4,
          kernel: [3, 3],
          strides: [2, 2],
          padding: 'same',
          activation: 'relu',
        },
        family,
      );
    });
    it("'valid', kernel 2 stride 2 (no overlap), 4x4 'same' (asymmetric), no bias, sigmoid, softmax (unfused), first layer", async () => {
      await check(
        { input: [5, 4, 3], batch: 2, filters: 6, kernel: [2, 2], strides: [2, 2], padding: 'valid' },
        family,
      );
      await check(
        {
          input: [3, 3, 2],
          batch: 2,
          filters: 4,
          kernel: [3, 3],
          strides: [2, 2],
          padding: 'same',
          activation: 'softmax',
        },
        family,
      );
      await check(
        {
          input: [4, 5, 2],
          batch: 1,
          filters: 3,
          kernel: [4, 4],
          strides: [2, 2],
          padding: 'same',
          useBias: false,
        },
        family,
      );
      await check(
        {
          input: [3, 3, 4],
          batch: 2,
          filters: 5,
          kernel: [3, 2],
          strides: [1, 2],
          padding: 'valid',
          activation: 'sigmoid',
          first: true,
        },
        family,
      );
    });
  });
}

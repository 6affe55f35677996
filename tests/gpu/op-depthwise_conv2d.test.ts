// DepthwiseConv2D and SeparableConv2D kernels against the float64 reference. One kernel family serves every
// adapter (gather kernels without barriers, see src/ops/depthwise_conv2d.ts); SeparableConv2D's pointwise half is
// the conv2d op, run here with the variant this adapter picks.
import { describe, it } from 'vitest';
import { KERNEL_FAMILIES, type KernelFamily } from '../../src/gpu/family';
import type { ActivationName as ModelActivation } from '../../src/model/activations';
import { type Layer, type Padding, type Pair, pair } from '../../src/model/layers';
import { Rng } from '../../src/model/random';
import type { ParamSpec } from '../../src/model/shapes';
import { axisPlan } from '../../src/ops/common';
import { depthwiseTuning } from '../../src/ops/depthwise_conv2d';
import { type ActivationName, activationBackward, activationForward } from '../../src/reference/activations';
import { conv2dBackward, conv2dForward } from '../../src/reference/conv2d';
import { depthwiseConv2dBackward, depthwiseConv2dForward } from '../../src/reference/depthwise_conv2d';
import type { Tensor } from '../../src/reference/tensor';
import { expectClose } from './harness';
import { builtLayer } from './param-harness';
import { runOnRandom } from './random-param-run';

const TOL = 1e-4;

interface DwCase {
  input: number[];
  batch: number;
  /** An int or a pair, as Keras takes kernel_size and strides. */
  kernel: number | Pair;
  strides?: number | Pair;
  padding?: Padding;
  mult?: number;
  activation?: ActivationName;
  useBias?: boolean;
  /** SeparableConv2D with this many filters. */
  filters?: number;
  first?: boolean;
  family?: KernelFamily;
}

/** A case with its kernel and strides as pairs. */
type PairCase = DwCase & { kernel: Pair; strides: Pair };

function layerOf(c: PairCase) {
  const [h, w, cin] = c.input;
  const strides = c.strides;
  const padding = c.padding ?? 'valid';
  const mult = c.mult ?? 1;
  const useBias = c.useBias ?? true;
  const oh = axisPlan(h, c.kernel[0], strides[0], padding).out;
  const ow = axisPlan(w, c.kernel[1], strides[1], padding).out;
  const common = {
    name: c.filters ? 'separable_conv2d' : 'depthwise_conv2d',
    kernel_size: c.kernel,
    strides,
    padding,
    depth_multiplier: mult,
    // The kernels run every activation of the reference (relu6, swish, ...), more than the model parses yet.
    activation: (c.activation ?? 'linear') as ModelActivation,
    use_bias: useBias,
    depthwise_initializer: 'glorot_uniform' as const,
    bias_initializer: 'zeros' as const,
  };
  const dk: ParamSpec = {
    name: 'depthwise_kernel',
    shape: [...c.kernel, cin, mult],
    initializer: 'glorot_uniform',
  };
  if (c.filters) {
    const layer: Layer = {
      className: 'SeparableConv2D',
      config: { ...common, filters: c.filters, pointwise_initializer: 'glorot_uniform' },
    };
    const params: ParamSpec[] = [
      dk,
      { name: 'pointwise_kernel', shape: [1, 1, cin * mult, c.filters], initializer: 'glorot_uniform' },
      ...(useBias ? [{ name: 'bias', shape: [c.filters], initializer: 'zeros' as const }] : []),
    ];
    return builtLayer(layer, c.input, [oh, ow, c.filters], params);
  }
  const layer: Layer = { className: 'DepthwiseConv2D', config: common };
  const params: ParamSpec[] = [
    dk,
    ...(useBias ? [{ name: 'bias', shape: [cin * mult], initializer: 'zeros' as const }] : []),
  ];
  return builtLayer(layer, c.input, [oh, ow, cin * mult], params);
}

/** y = act(z), dZ = act'(z) dY. */
function activation(name: ActivationName, z: Tensor, dY: Tensor) {
  const y = activationForward(name, z);
  return { y, dZ: activationBackward(name, z, y, dY) };
}

async function check(row: DwCase) {
  const c: PairCase = {
    ...row,
    kernel: pair(row.kernel, [1, 1], 'kernel'),
    strides: pair(row.strides, [1, 1], 'strides'),
  };
  const built = layerOf(c);
  const rng = new Rng(c.input.reduce((a, b) => a * 29 + b, c.batch + (c.filters ?? 0)));
  const { x, dY, values, run } = await runOnRandom(built, c.batch, rng, { first: c.first, family: c.family });
  const opts = { strides: c.strides, padding: c.padding ?? 'valid' };
  const act = c.activation ?? 'linear';
  const bias = values.bias?.data ?? null;
  const dk = values.depthwise_kernel;
  const what = `${built.layer.className} ${JSON.stringify(c)}`;
  if (c.filters) {
    const mid = depthwiseConv2dForward(x, dk, null, opts);
    const pw = values.pointwise_kernel;
    const one = { strides: [1, 1] as Pair, padding: 'valid' as const };
    const { y, dZ } = activation(act, conv2dForward(mid, pw, bias, one), dY);
    const p = conv2dBackward(mid, pw, dZ, one);
    const d = depthwiseConv2dBackward(x, dk, p.dX, opts);
    expectClose(`${what} y`, run.y, y.data, TOL);
    if (!c.first) expectClose(`${what} dX`, run.dX, d.dX.data, TOL);
    expectClose(`${what} d depthwise_kernel`, run.grads.depthwise_kernel, d.dKernel.data, TOL);
    expectClose(`${what} d pointwise_kernel`, run.grads.pointwise_kernel, p.dKernel.data, TOL);
    if (bias) expectClose(`${what} dBias`, run.grads.bias, p.dBias, TOL);
    return;
  }
  const { y, dZ } = activation(act, depthwiseConv2dForward(x, dk, bias, opts), dY);
  const d = depthwiseConv2dBackward(x, dk, dZ, opts);
  expectClose(`${what} y`, run.y, y.data, TOL);
  if (!c.first) expectClose(`${what} dX`, run.dX, d.dX.data, TOL);
  expectClose(`${what} dK`, run.grads.depthwise_kernel, d.dKernel.data, TOL);
  if (bias) expectClose(`${what} dBias`, run.grads.bias, d.dBias, TOL);
}

const DEPTHWISE: [string, DwCase[]][] = [
  [
    "MobileNet blocks: 3x3 'same' stride 1 and 2, relu6 (16x16x8 and 9x9x5, batch 2)",
    [
      { input: [16, 16, 8], batch: 2, kernel: 3, padding: 'same', activation: 'relu6' },
      { input: [9, 9, 5], batch: 2, kernel: 3, strides: 2, padding: 'same', activation: 'relu' },
    ],
  ],
  [
    'depth_multiplier 3, rectangular kernel and strides, valid, no bias, tanh',
    [
      { input: [8, 7, 3], batch: 3, kernel: [2, 3], strides: [2, 1], mult: 3, activation: 'tanh' },
      { input: [6, 6, 2], batch: 1, kernel: 3, mult: 2, useBias: false },
    ],
  ],
  [
    "even kernel 'same' (asymmetric padding), kernel > stride; unfused activations (swish, softmax)",
    [
      { input: [7, 9, 4], batch: 2, kernel: 4, strides: 2, padding: 'same' },
      { input: [5, 5, 3], batch: 2, kernel: 3, padding: 'same', activation: 'swish' },
      { input: [5, 5, 3], batch: 2, kernel: 3, padding: 'same', mult: 2, activation: 'softmax' },
    ],
  ],
  [
    "3x3 multiplier 1, strides 1 and 2 (four outputs per invocation): widths not a multiple of 4, 'valid' and 'same'",
    [
      { input: [7, 6, 5], batch: 2, kernel: 3, activation: 'relu' },
      { input: [5, 9, 3], batch: 3, kernel: 3, padding: 'same', useBias: false },
      { input: [4, 3, 16], batch: 1, kernel: 3, padding: 'same', activation: 'relu6' },
      { input: [3, 3, 2], batch: 2, kernel: 3 },
      // Stride 2 (forward and dK blocked, dX general): even and odd sizes, 'same' and 'valid'.
      { input: [8, 8, 4], batch: 2, kernel: 3, strides: 2, padding: 'same', activation: 'relu' },
      { input: [9, 11, 3], batch: 2, kernel: 3, strides: 2 },
      { input: [7, 6, 5], batch: 1, kernel: 3, strides: 2, padding: 'same', useBias: false },
    ],
  ],
];

/** The 3x3 stride 1 and 2 cases again, on the general kernels (depthwiseTuning.blocked = false). */
const GENERAL: DwCase[] = [
  { input: [7, 6, 5], batch: 2, kernel: 3, padding: 'same', activation: 'relu' },
  { input: [8, 8, 4], batch: 2, kernel: 3, strides: 2, padding: 'same' },
];

const MANY_PIXELS: DwCase[] = [
  { input: [32, 32, 4], batch: 4, kernel: 3, padding: 'same' },
  { input: [6, 5, 2], batch: 2, kernel: 3, first: true },
];

const SEPARABLE: DwCase[] = [
  { input: [10, 10, 6], batch: 2, kernel: 3, padding: 'same', filters: 16, activation: 'relu' },
  { input: [9, 8, 3], batch: 2, kernel: 3, strides: 2, mult: 2, filters: 5, useBias: false },
  { input: [6, 6, 3], batch: 1, kernel: 3, filters: 4, first: true },
];

describe('DepthwiseConv2D on the GPU against the reference', () => {
  for (const [title, cases] of DEPTHWISE) {
    it(title, async () => {
      for (const c of cases) await check(c);
    });
  }
  it('the general kernels on the 3x3 stride 1 case too (depthwiseTuning.blocked = false)', async () => {
    depthwiseTuning.blocked = false;
    try {
      for (const c of GENERAL) await check(c);
    } finally {
      depthwiseTuning.blocked = true;
    }
  });
  it('many pixels per channel (32x32x4 batch 4: dK over 4,096 pixels in parts); first layer', async () => {
    for (const c of MANY_PIXELS) await check(c);
  });
});

for (const family of KERNEL_FAMILIES) {
  describe(`SeparableConv2D (depthwise, then the pointwise conv2d op ${family}) against the reference`, () => {
    it("3x3 'same' relu into 16 filters; stride 2, multiplier 2, no bias; first layer", async () => {
      for (const c of SEPARABLE) await check({ ...c, family });
    });
  });
}

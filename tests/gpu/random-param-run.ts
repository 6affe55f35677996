// Runs a parameterized layer on the GPU on random inputs: x, then dY, then each weight in the layer's own order,
// all from one Rng, so a test's float64 reference sees the very numbers the GPU got.
import type { KernelFamily } from '../../src/gpu/family';
import type { Rng } from '../../src/model/random';
import type { BuiltLayer } from '../../src/model/sequential';
import type { Tensor } from '../../src/reference/tensor';
import { randomTensor } from './harness';
import { type ParamRun, runParamLayer } from './param-harness';

export interface RandomRunOptions {
  first?: boolean;
  inference?: boolean;
  family?: KernelFamily;
  /** x's range; default [-1, 1]. */
  xRange?: [number, number];
  /** A weight's range by its Keras name; default [-1, 1]. */
  paramRange?: (name: string) => [number, number];
}

export interface RandomRun {
  x: Tensor;
  dY: Tensor;
  /** Every weight of the layer by Keras name, as the GPU got it. */
  values: Record<string, Tensor>;
  run: ParamRun;
}

export async function runOnRandom(
  built: BuiltLayer,
  batch: number,
  rng: Rng,
  opts: RandomRunOptions = {},
): Promise<RandomRun> {
  const x = randomTensor([batch, ...built.inputShape], rng, ...(opts.xRange ?? [-1, 1]));
  const dY = randomTensor([batch, ...built.outputShape], rng);
  const values: Record<string, Tensor> = {};
  for (const p of built.params)
    values[p.name] = randomTensor(p.shape, rng, ...(opts.paramRange?.(p.name) ?? [-1, 1]));
  const run = await runParamLayer({
    built,
    batch,
    x: x.data,
    dY: dY.data,
    params: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.data])),
    first: opts.first,
    inference: opts.inference,
    family: opts.family,
  });
  return { x, dY, values, run };
}

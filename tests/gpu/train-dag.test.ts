// Models as DAGs: one whole training step of a hand-built functional model (a tensor read by three layers, a
// merged tensor read by two, Add, Multiply and Concatenate) against a float64 model of the same step, with
// sigmoid binary cross-entropy as well as softmax; and the proof that a chain compiles exactly as before (no
// gradient sums, no extra dispatches).
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext, type GpuContext } from '../../src/gpu/context';
import { Dense, Flatten } from '../../src/model/factories';
import type { Layer } from '../../src/model/layers';
import { paperLeNet5 } from '../../src/model/presets';
import type { BuiltLayer, BuiltModel } from '../../src/model/sequential';
import type { ParamSpec } from '../../src/model/shapes';
import { DEFAULT_TRAINING, type TrainingConfig } from '../../src/model/training-config';
import { Trainer } from '../../src/train';
import { compileNetwork, gradientNeeded } from '../../src/train/graph';
import { StepState } from '../../src/train/step-state';
import { nodeGpu } from '../helpers/node-gpu';
import { dagStep, imagesToTensor } from './dag-reference';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = createContext((await nodeGpu()).device);
});

const merge = (className: string, name: string, config = {}) =>
  ({ className, config: { name, ...config } }) as unknown as Layer;
const named = (l: Layer, name: string) => ({ ...l, config: { ...l.config, name } }) as Layer;

function node(layer: Layer, inbound: number[], shapes: number[][], out: number[]): BuiltLayer {
  const params: ParamSpec[] =
    layer.className === 'Dense'
      ? [
          { name: 'kernel', shape: [shapes[0][0], out[0]], initializer: 'glorot_uniform' },
          { name: 'bias', shape: [out[0]], initializer: 'zeros' },
        ]
      : [];
  return {
    layer,
    inputShape: shapes[0],
    inputShapes: shapes,
    inbound,
    outputShape: out,
    params,
    paramCount: params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0),
  };
}

/** flatten -> d1 fans out to d2, add and concat; add fans out to d3 and multiply. */
function dagModel(head: Layer, units: number): BuiltModel {
  const layers = [
    node(named(Flatten(), 'flatten'), [-1], [[4, 4, 1]], [16]),
    node(named(Dense({ units: 6, activation: 'relu' }), 'd1'), [0], [[16]], [6]),
    node(named(Dense({ units: 6, activation: 'tanh' }), 'd2'), [1], [[6]], [6]),
    node(merge('Add', 'add'), [1, 2], [[6], [6]], [6]),
    node(named(Dense({ units: 6, activation: 'sigmoid' }), 'd3'), [3], [[6]], [6]),
    node(merge('Multiply', 'multiply'), [3, 4], [[6], [6]], [6]),
    node(merge('Concatenate', 'concat', { axis: -1 }), [1, 5], [[6], [6]], [12]),
    node(head, [6], [[12]], [units]),
  ];
  return {
    name: 'dag',
    inputShape: [4, 4, 1],
    layers,
    paramCount: layers.reduce((a, l) => a + l.paramCount, 0),
  };
}

const config = (over: Partial<TrainingConfig>): TrainingConfig => ({
  ...DEFAULT_TRAINING,
  optimizer: { name: 'sgd', learning_rate: 0.5 },
  batch_size: 8,
  validation_split: 0,
  ...over,
});

async function checkStep(
  model: BuiltModel,
  cfg: TrainingConfig,
  classes: number,
  loss: 'softmax' | 'sigmoid_bce',
) {
  const n = 8;
  const images = Uint8Array.from({ length: n * 16 }, (_, i) => (i * 97 + 13) % 256);
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 5) % classes);
  const t = await Trainer.create(ctx, model, cfg, { seed: 3 });
  const w0 = await t.getWeights();
  const ref = dagStep(model, w0, imagesToTensor(images, [n, 4, 4, 1]), labels, loss);
  const got = await t.trainOnBatch(images, labels, n);
  expect(Math.abs(got.loss - ref.loss)).toBeLessThan(1e-5 * (1 + ref.loss));
  const w1 = await t.getWeights();
  let moved = 0;
  for (const [i, w] of w1.entries()) {
    const g = ref.grads.get(w.name);
    expect(g, `gradient of ${w.name}`).toBeDefined();
    const frozen = w.name.startsWith('d2/') && model.layers[2].params[0].trainable === false;
    for (let j = 0; j < w.data.length; j++) {
      const want = frozen ? w0[i].data[j] : w0[i].data[j] - 0.5 * (g as Float64Array)[j];
      expect(Math.abs(w.data[j] - want), `${w.name}[${j}]`).toBeLessThan(2e-5 * (1 + Math.abs(want)));
      moved = Math.max(moved, Math.abs(w.data[j] - w0[i].data[j]));
    }
  }
  expect(moved).toBeGreaterThan(1e-3);
  t.destroy();
}

describe('DAG models', () => {
  it('one SGD step of a branching model (softmax) equals the float64 step, gradients summed at fan-outs', async () => {
    const model = dagModel(named(Dense({ units: 3, activation: 'softmax' }), 'out'), 3);
    await checkStep(model, config({}), 3, 'softmax');
  });

  it('a frozen layer (trainable=False) in the middle keeps its weights and still passes the gradient on', async () => {
    const model = dagModel(named(Dense({ units: 3, activation: 'softmax' }), 'out'), 3);
    model.layers[2] = {
      ...model.layers[2],
      params: model.layers[2].params.map((p) => ({ ...p, trainable: false })),
    };
    await checkStep(model, config({}), 3, 'softmax');
  });

  it('the same with one sigmoid unit and binary_crossentropy (labels 0/1)', async () => {
    const model = dagModel(named(Dense({ units: 1, activation: 'sigmoid' }), 'out'), 1);
    await checkStep(model, config({ loss: 'binary_crossentropy' }), 2, 'sigmoid_bce');
  });

  it('sums a fan-out with one in-place add per extra consumer, and a chain with none', () => {
    const local = createContext(ctx.device);
    const step = new StepState(local, 1, 0.1);
    const dag = compileNetwork(
      local,
      dagModel(named(Dense({ units: 3, activation: 'softmax' }), 'out'), 3),
      { loss: 'sparse_categorical_crossentropy' },
      4,
      step.buffer,
    );
    // add's second input (d2) is read by nothing else: it lends add its gradient buffer, so add's backward is
    // one copy (for d1), not two.
    expect(dag.backward.filter((d) => d.label?.startsWith('add:')).map((d) => d.label)).toEqual([
      'add:sum_grad1',
      'add:backward0',
    ]);
    // d1 has three consumers (two extra), add has two (one extra).
    expect(dag.backward.filter((d) => d.label?.includes('sum_grad')).map((d) => d.label)).toEqual([
      'add:sum_grad1',
      'd1:sum_grad1',
      'd1:sum_grad2',
    ]);
    const model = paperLeNet5().build();
    const net = compileNetwork(local, model, { loss: 'sparse_categorical_crossentropy' }, 16, step.buffer);
    // What the Sequential-only compiler scheduled: every layer's backward from the first with weights, no more.
    const first = model.layers.findIndex((l) => l.paramCount > 0);
    const before = net.layers
      .slice(first)
      .reverse()
      .flatMap((l) => l.op.backward);
    expect(net.backward).toEqual(before);
    expect(gradientNeeded(model)).toEqual(model.layers.map((_, i) => i >= first));
    // Only the first layer with weights computes no input gradient.
    expect(net.backward.some((d) => d.label?.includes('sum_grad'))).toBe(false);
    local.arena.destroyAll();
  });

  it('refuses a layer whose output reaches nothing, and an output that feeds another layer', () => {
    const local = createContext(ctx.device);
    const step = new StepState(local, 1, 0.1);
    const m = dagModel(named(Dense({ units: 3, activation: 'softmax' }), 'out'), 3);
    const dangling = { ...m, layers: [...m.layers.slice(0, 7), { ...m.layers[7], inbound: [5] }] };
    dangling.layers[7] = { ...dangling.layers[7], inputShapes: [[6]], inputShape: [6] };
    dangling.layers[7].params[0] = { ...dangling.layers[7].params[0], shape: [6, 3] };
    expect(() =>
      compileNetwork(local, dangling, { loss: 'sparse_categorical_crossentropy' }, 4, step.buffer),
    ).toThrow(/the output of concat reaches nothing; connect it to the model's output or remove it/);
    local.arena.destroyAll();
  });
});

// GPU optimizers step for step against the float64 reference (src/reference/optimizers.ts), Keras 3 rules.
import { describe, expect, it } from 'vitest';
import { createContext, encodeDispatches } from '../../src/gpu/context';
import { Rng } from '../../src/model/random';
import type { OptimizerConfig } from '../../src/model/training-config';
import {
  type AdamState,
  adamStep,
  makeOptimizerState,
  type OptimizerState,
  type RmspropState,
  rmspropStep,
  type SgdState,
  sgdStep,
} from '../../src/reference/optimizers';
import { GpuOptimizer } from '../../src/train/optimizer';
import { StepState } from '../../src/train/step-state';
import { nodeGpu, readF32 } from '../helpers/node-gpu';

function refStep(c: OptimizerConfig, p: Float64Array, g: Float64Array, s: OptimizerState, lr: number): void {
  if (c.name === 'sgd')
    sgdStep(p, g, s as SgdState, { learningRate: lr, momentum: c.momentum, nesterov: c.nesterov });
  else if (c.name === 'adam')
    adamStep(p, g, s as AdamState, {
      learningRate: lr,
      beta1: c.beta_1,
      beta2: c.beta_2,
      epsilon: c.epsilon,
    });
  else
    rmspropStep(p, g, s as RmspropState, {
      learningRate: lr,
      rho: c.rho,
      momentum: c.momentum,
      epsilon: c.epsilon,
      centered: c.centered,
    });
}

const CASES: OptimizerConfig[] = [
  { name: 'sgd', learning_rate: 0.05 },
  { name: 'sgd', learning_rate: 0.05, momentum: 0.9 },
  { name: 'sgd', learning_rate: 0.05, momentum: 0.8, nesterov: true },
  { name: 'adam', learning_rate: 0.001 },
  { name: 'adam', learning_rate: 0.01, beta_1: 0.5, beta_2: 0.9, epsilon: 1e-4 },
  { name: 'rmsprop', learning_rate: 0.001 },
  { name: 'rmsprop', learning_rate: 0.002, momentum: 0.9 },
  { name: 'rmsprop', learning_rate: 0.002, rho: 0.8, centered: true },
  { name: 'rmsprop', learning_rate: 0.002, momentum: 0.5, centered: true, epsilon: 1e-5 },
];

describe('optimizers.wgsl vs reference', () => {
  for (const config of CASES) {
    it(`${JSON.stringify(config)} matches over 6 steps, two tensors, a learning-rate change`, async () => {
      const { device } = await nodeGpu();
      const ctx = createContext(device);
      const rng = new Rng(7);
      const sizes = [37, 1000];
      const tensors = sizes.map((size, i) => {
        const init = Float32Array.from({ length: size }, () => rng.uniform(-1, 1));
        const param = ctx.arena.storage(`p${i}`, size);
        const grad = ctx.arena.storage(`g${i}`, size);
        device.queue.writeBuffer(param, 0, init);
        return { name: `t${i}`, size, param, grad, ref: Float64Array.from(init) };
      });
      const step = new StepState(ctx, 1, config.learning_rate);
      const opt = new GpuOptimizer(ctx, config, tensors, step.buffer);
      expect(opt.dispatches).toHaveLength(2);
      const states = tensors.map((t) => makeOptimizerState(config.name, t.size));
      for (let s = 0; s < 6; s++) {
        const lr = s < 4 ? config.learning_rate : config.learning_rate / 3;
        step.learningRate = lr;
        for (const [i, t] of tensors.entries()) {
          // Gradients of mixed scale, some exactly zero (a dead ReLU's weights).
          const g = Float32Array.from({ length: t.size }, (_, j) =>
            j % 11 === 0 ? 0 : rng.normal() * 10 ** rng.uniform(-3, 0),
          );
          device.queue.writeBuffer(t.grad, 0, g);
          refStep(config, t.ref, Float64Array.from(g), states[i], Math.fround(lr));
        }
        step.write(0, 0);
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        encodeDispatches(pass, opt.dispatches);
        pass.end();
        device.queue.submit([enc.finish()]);
        step.step++;
        for (const t of tensors) {
          const got = await readF32(device, t.param, t.size);
          let worst = 0;
          for (let j = 0; j < t.size; j++) {
            worst = Math.max(worst, Math.abs(got[j] - t.ref[j]) / (1e-5 + 1e-5 * Math.abs(t.ref[j])));
          }
          // |got - ref| <= 1e-5 + 1e-5 |ref|: float32 rounding over a few steps.
          expect(worst, `step ${s} ${t.name}`).toBeLessThanOrEqual(1);
        }
      }
      // The parameters moved: a test that would pass with a no-op kernel is no test.
      expect(Math.abs(tensors[1].ref[5] - (await readF32(device, tensors[1].param, 6))[5])).toBeLessThan(
        1e-4,
      );
      ctx.arena.destroyAll();
    });
  }

  it('rejects hyper-parameters that would give NaN weights', async () => {
    const { device } = await nodeGpu();
    const ctx = createContext(device);
    const step = new StepState(ctx, 1, 0.1);
    expect(
      () => new GpuOptimizer(ctx, { name: 'adam', learning_rate: 0.1, beta_1: 1 }, [], step.buffer),
    ).toThrow(/beta_1 must be in \[0, 1\)/);
    expect(() => new GpuOptimizer(ctx, { name: 'sgd', learning_rate: -1 }, [], step.buffer)).toThrow(
      /learning rate must be a positive number/,
    );
    ctx.arena.destroyAll();
  });
});

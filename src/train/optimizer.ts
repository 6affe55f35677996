// The optimizer on the GPU: slot buffers (momentum, Adam's m and v, RMSprop's averages) and one recorded
// dispatch per parameter tensor, made once; shaders/optimizers.wgsl holds the Keras 3 update rules.
import type { Dispatch, GpuContext } from '../gpu/context';
import type { OptimizerConfig } from '../model/training-config';

export interface ParamTensor {
  name: string;
  size: number;
  param: GPUBuffer;
  grad: GPUBuffer;
}

const WG = 256;
const MAX_GROUPS = 65535;

/** Workgroups for `size` one-per-element invocations of WG lanes, folding overflow into y. */
export function elementwiseGroups(size: number, wg = WG): [number, number, number] {
  const groups = Math.max(1, Math.ceil(size / wg));
  return [Math.min(groups, MAX_GROUPS), Math.ceil(groups / MAX_GROUPS), 1];
}

/** Keras defaults filled in, hyper-parameters checked (a bad value is a message, not NaN weights). */
export function resolveOptimizer(c: OptimizerConfig): Required<OptimizerConfig> {
  const r: Required<OptimizerConfig> = {
    name: c.name,
    learning_rate: c.learning_rate,
    momentum: c.momentum ?? 0,
    nesterov: c.nesterov ?? false,
    beta_1: c.beta_1 ?? 0.9,
    beta_2: c.beta_2 ?? 0.999,
    epsilon: c.epsilon ?? 1e-7,
    rho: c.rho ?? 0.9,
    centered: c.centered ?? false,
  };
  if (!['sgd', 'adam', 'rmsprop'].includes(r.name)) {
    throw new Error(`optimizer '${r.name}' is not supported; use 'sgd', 'adam' or 'rmsprop'`);
  }
  checkLearningRate(r.learning_rate);
  const unit = (v: number, what: string, closedTop = false) => {
    if (!(v >= 0 && (closedTop ? v <= 1 : v < 1))) {
      throw new Error(`${r.name}: ${what} must be in [0, 1), got ${v}`);
    }
  };
  unit(r.momentum, 'momentum');
  unit(r.beta_1, 'beta_1');
  unit(r.beta_2, 'beta_2');
  unit(r.rho, 'rho');
  if (!(r.epsilon > 0)) throw new Error(`${r.name}: epsilon must be > 0, got ${r.epsilon}`);
  return r;
}

export function checkLearningRate(lr: number): void {
  if (!(Number.isFinite(lr) && lr > 0)) {
    throw new Error(
      `the learning rate must be a positive number, got ${lr}; Keras's defaults are 0.01 (SGD) and 0.001 (Adam, RMSprop)`,
    );
  }
}

export class GpuOptimizer {
  readonly dispatches: Dispatch[] = [];
  /** Every slot buffer, so a restore after divergence can zero them. */
  readonly slots: GPUBuffer[] = [];
  readonly config: Required<OptimizerConfig>;

  constructor(ctx: GpuContext, config: OptimizerConfig, params: readonly ParamTensor[], step: GPUBuffer) {
    this.config = resolveOptimizer(config);
    const c = this.config;
    const { entry, slotCount } = plan(c);
    const pipeline = ctx.pipelines.get('optimizers', entry, { WG });
    // RMSprop binds all three slots; the ones its options leave unused point at placeholders (two of them:
    // one buffer bound twice as read_write would be an aliasing error).
    const placeholders =
      c.name === 'rmsprop'
        ? [
            ctx.arena.storage('optimizer/unused-momentum', 4),
            ctx.arena.storage('optimizer/unused-average', 4),
          ]
        : [];
    const uniform = new ArrayBuffer(32);
    const u32 = new Uint32Array(uniform);
    const f32 = new Float32Array(uniform);
    for (const p of params) {
      const slots: GPUBuffer[] = [];
      for (let s = 0; s < slotCount; s++) {
        const used =
          c.name !== 'rmsprop' || s === 0 || (s === 1 && c.momentum > 0) || (s === 2 && c.centered);
        if (used) {
          const b = ctx.arena.storage(`${p.name}/${slotName(c.name, s)}`, p.size);
          this.slots.push(b);
          slots.push(b);
        } else {
          slots.push(placeholders[s - 1]);
        }
      }
      u32[0] = p.size;
      f32[1] = c.momentum;
      f32[2] = c.name === 'rmsprop' ? c.rho : c.beta_1;
      f32[3] = c.beta_2;
      f32[4] = c.epsilon;
      f32[5] = -Math.log(c.beta_1);
      f32[6] = -Math.log(c.beta_2);
      u32[7] = (c.nesterov ? 1 : 0) | (c.centered ? 2 : 0);
      const params = ctx.arena.uniform(`${p.name}/optimizer-params`, uniform);
      const entries: GPUBindGroupEntry[] = [
        { binding: 0, resource: { buffer: p.grad } },
        { binding: 1, resource: { buffer: step } },
        { binding: 2, resource: { buffer: p.param } },
        ...slots.map((buffer, s) => ({ binding: 3 + s, resource: { buffer } })),
        { binding: 6, resource: { buffer: params } },
      ];
      const bindGroup = ctx.device.createBindGroup({
        label: `${p.name}/${entry}`,
        layout: pipeline.getBindGroupLayout(0),
        entries,
      });
      this.dispatches.push({
        pipeline,
        bindGroup,
        workgroups: elementwiseGroups(p.size),
        label: `${entry} ${p.name}`,
      });
    }
  }

  /** Zeroes every slot (Keras's fresh optimizer state), e.g. after restoring weights from a checkpoint. */
  resetSlots(encoder: GPUCommandEncoder): void {
    for (const s of this.slots) encoder.clearBuffer(s);
  }
}

function plan(c: Required<OptimizerConfig>): { entry: string; slotCount: number } {
  switch (c.name) {
    case 'sgd':
      return c.momentum > 0 ? { entry: 'sgd_momentum', slotCount: 1 } : { entry: 'sgd', slotCount: 0 };
    case 'adam':
      return { entry: 'adam', slotCount: 2 };
    case 'rmsprop':
      return { entry: 'rmsprop', slotCount: 3 };
  }
}

function slotName(name: string, s: number): string {
  if (name === 'adam') return s === 0 ? 'm' : 'v';
  if (name === 'sgd') return 'momentum';
  return ['velocity', 'momentum', 'average_gradient'][s];
}

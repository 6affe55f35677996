// How much GPU memory training a model takes, from the BuiltModel alone, and the refusal when it cannot fit
// the adapter: checked before Trainer.create allocates anything, so a Dense layer with 10^9 weights is a
// message naming the bytes and the limit, not an out-of-memory crash of the tab or the driver.
import { formatBytes } from '../gpu/arena';
import type { BuiltModel } from '../model/sequential';
import type { OptimizerConfig } from '../model/training-config';

export interface MemoryEstimate {
  /** Every buffer of a compiled training step, in bytes (params, grads, optimizer slots, activations). */
  totalBytes: number;
  /** The largest single buffer and what it holds: WebGPU limits apply per buffer and per binding. */
  largestBytes: number;
  largestWhat: string;
  paramBytes: number;
  activationBytes: number;
}

export interface MemoryLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

/** Optimizer state per parameter: Adam keeps m and v, momentum and RMSprop one slot (two when centered). */
function slotsPer(opt: OptimizerConfig | undefined): number {
  if (!opt) return 2;
  if (opt.name === 'adam') return 2;
  if (opt.name === 'rmsprop') return 1 + (opt.momentum ? 1 : 0) + (opt.centered ? 1 : 0);
  return opt.momentum ? 1 : 0;
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

export function estimateTrainingMemory(
  model: BuiltModel,
  batchSize: number,
  optimizer?: OptimizerConfig,
): MemoryEstimate {
  let largestBytes = 0;
  let largestWhat = '';
  const consider = (bytes: number, what: string) => {
    if (bytes > largestBytes) {
      largestBytes = bytes;
      largestWhat = what;
    }
  };
  let params = 0;
  let trainable = 0;
  let activations = batchSize * prod(model.inputShape);
  // A tensor read by k layers has k - 1 extra gradient buffers (graph.ts sums them into its dY).
  const readers = model.layers.map(() => 0);
  for (const l of model.layers) for (const p of l.inbound) if (p >= 0) readers[p]++;
  consider(activations * 4, 'the input batch');
  for (const [i, l] of model.layers.entries()) {
    for (const p of l.params) {
      const n = prod(p.shape);
      params += n;
      if (p.trainable !== false) trainable += n;
      consider(n * 4, `the ${p.name} of ${l.layer.config.name} (${p.shape.join('x')} floats)`);
    }
    // Output and its gradient, per layer; pooling and dropout keep an index or mask of the same size.
    const out = batchSize * prod(l.outputShape);
    activations += (3 + Math.max(0, readers[i] - 1)) * out;
    consider(out * 4, `the output of ${l.layer.config.name} for a batch of ${batchSize}`);
  }
  // Non-trainable weights (moving statistics) have no gradient and no optimizer state.
  const paramBytes = 4 * (params + trainable * (1 + slotsPer(optimizer)));
  const activationBytes = 4 * activations;
  return {
    totalBytes: paramBytes + activationBytes,
    largestBytes,
    largestWhat,
    paramBytes,
    activationBytes,
  };
}

export class ModelTooLargeError extends Error {
  constructor(
    message: string,
    readonly estimate: MemoryEstimate,
  ) {
    super(message);
    this.name = 'ModelTooLargeError';
  }
}

/**
 * Throws ModelTooLargeError when a buffer of the estimate exceeds what the adapter allows in one buffer or
 * binding, or the whole exceeds `budgetBytes` (a tab gets a few GiB of GPU memory at most).
 */
export function checkTrainingMemory(
  model: BuiltModel,
  batchSize: number,
  optimizer: OptimizerConfig | undefined,
  limits: MemoryLimits,
  budgetBytes = 4 * 1024 ** 3,
): MemoryEstimate {
  const e = estimateTrainingMemory(model, batchSize, optimizer);
  const perBuffer = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const needs =
    `training ${model.name} at batch size ${batchSize} needs about ${formatBytes(e.totalBytes)} of GPU memory ` +
    `(${model.paramCount.toLocaleString('en-US')} parameters)`;
  const fix = 'Use fewer units or filters, a smaller input, or a smaller batch_size';
  if (e.largestBytes > perBuffer) {
    throw new ModelTooLargeError(
      `${needs}, and ${e.largestWhat} alone is ${formatBytes(e.largestBytes)}, more than this GPU allows in one ` +
        `buffer (${formatBytes(perBuffer)}: maxBufferSize ${formatBytes(limits.maxBufferSize)}, ` +
        `maxStorageBufferBindingSize ${formatBytes(limits.maxStorageBufferBindingSize)}); nothing was allocated. ${fix}`,
      e,
    );
  }
  if (e.totalBytes > budgetBytes) {
    throw new ModelTooLargeError(
      `${needs}, more than the ${formatBytes(budgetBytes)} a browser tab can count on; nothing was allocated. ${fix}`,
      e,
    );
  }
  return e;
}

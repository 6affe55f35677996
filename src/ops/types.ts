// The contract between the kernels (src/ops + shaders/) and the trainer (src/train).
//
// The trainer allocates every activation / gradient / parameter buffer through the arena, then asks each op
// for its dispatches once, at compile time. A training step replays them in one command encoder:
//   batch gather -> forwardTrain of every layer -> loss -> backward of every layer (last to first) -> optimizer.
// Ops may allocate private buffers (pool argmax, saved masks) from ctx.arena when they are created, never later.
import type { Dispatch, GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';

/**
 * Per-step state, one small storage buffer (array<u32, 16>) shared by all kernels; the trainer writes it with
 * queue.writeBuffer before each step (no allocation). Shaders see the indices as STEP_<NAME> constants
 * (STEP_SEED, STEP_BATCH_START, ..., STEP_WORDS) and the buffer's type as StepState (src/gpu/shaders.ts). Indices:
 */
export const STEP = {
  /** Number of optimizer steps already taken (0 for the first step); Adam's t is STEP.step + 1. */
  step: 0,
  /** Base seed of the run (dropout masks derive from it). */
  seed: 1,
  /** Offset of this batch's first sample in the (shuffled) index buffer. */
  batchStart: 2,
  /** Rows of this batch that hold samples (the rest of a partial last batch are padding, label -1). */
  validRows: 3,
  /** Learning rate as f32 bits (bitcast), so it can change between steps without recompiling. */
  learningRateBits: 4,
  /** Size of the state in u32 words. */
  words: 16,
} as const;

/**
 * Activation ids of the ACT override. Every shader sees them as ACT_<NAME> constants (src/gpu/shaders.ts), so
 * WGSL says `case ACT_RELU`, never a bare number.
 */
export const ACT_IDS: Record<string, number> = {
  linear: 0,
  relu: 1,
  sigmoid: 2,
  tanh: 3,
  softmax: 4,
  elu: 5,
  leaky_relu: 6,
  relu6: 7,
  selu: 8,
  softplus: 9,
  swish: 10,
  gelu: 11,
};

export interface LayerBuffers {
  /** Input activations [batch, ...inputShape], f32 NHWC. */
  x: GPUBuffer;
  /** Output activations [batch, ...outputShape]; for Flatten/Dropout at inference this may alias nothing special. */
  y: GPUBuffer;
  /** Gradient w.r.t. the input; null for the first layer (its input gradient is never needed). */
  dX: GPUBuffer | null;
  /** Gradient w.r.t. the output, written by the next layer's backward (or by the loss). */
  dY: GPUBuffer;
  kernel?: GPUBuffer;
  bias?: GPUBuffer;
  /** Parameter gradients: overwritten (not accumulated) by each backward. */
  dKernel?: GPUBuffer;
  dBias?: GPUBuffer;
  /**
   * Every weight of the layer by its Keras name (ParamSpec.name): its buffer, and its gradient buffer (null for
   * non-trainable state such as BatchNormalization's moving statistics, which forwardTrain updates in place).
   * kernel/bias above stay as shortcuts for the ops that predate this map.
   */
  params?: Record<string, { value: GPUBuffer; grad: GPUBuffer | null }>;
  /** Extra inputs of multi-input layers (Add, Concatenate, ...): xs[0] is x. Their gradients in the same order. */
  xs?: GPUBuffer[];
  dXs?: (GPUBuffer | null)[];
  /** The STEP state buffer. */
  step: GPUBuffer;
}

export interface LayerOpOptions {
  /** The fixed batch size all buffers are sized for. */
  batch: number;
  /** Index of the layer in the model: salts its dropout seed. */
  layerIndex: number;
  /**
   * The last layer's softmax is fused into the loss: the layer emits logits (linear) in every mode, and the
   * softmax_xent op turns them into probabilities.
   */
  softmaxInLoss: boolean;
}

export interface LayerOp {
  readonly layerName: string;
  /** Forward in training mode (dropout active). */
  readonly forwardTrain: readonly Dispatch[];
  /** Forward at inference (dropout is the identity). */
  readonly forwardInfer: readonly Dispatch[];
  /** Reads dY (and what forward saved), writes dX (when not null) and dKernel/dBias. */
  readonly backward: readonly Dispatch[];
}

export type LayerOpFactory = (
  ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  opts: LayerOpOptions,
) => LayerOp;

/**
 * Softmax + cross-entropy, fused. Rows whose sparse label is -1 (padding of a partial batch) add nothing to the
 * loss, the gradient or the counts; the mean divides by the number of valid rows.
 * `metrics` is array<f32, 4> accumulated across steps until the trainer resets it:
 *   [0] sum of per-sample losses, [1] correct predictions, [2] samples counted, [3] non-finite flag (1 if any loss
 *   or logit was NaN/Inf).
 */
export interface LossBuffers {
  logits: GPUBuffer;
  /** Sparse: array<i32, batch>; one-hot: array<f32, batch*classes>. */
  labels: GPUBuffer;
  probs: GPUBuffer;
  dLogits: GPUBuffer;
  metrics: GPUBuffer;
}
export interface LossOp {
  /** Writes probs, dLogits (d mean loss / d logits) and accumulates metrics. */
  readonly train: readonly Dispatch[];
  /** Writes probs and accumulates metrics; no gradient (evaluation / validation). */
  readonly evaluate: readonly Dispatch[];
  /** Writes probs only (predict; labels ignored). */
  readonly predict: readonly Dispatch[];
}

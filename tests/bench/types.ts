// What the Node runner asks the bench page for, and what the page answers. Plain data only: it crosses
// page.evaluate as JSON.
export type ModelId =
  | 'lenet5-mnist'
  | 'convnetjs-cifar10'
  | 'wide-cifar-cnn'
  | 'resnet20-cifar10'
  | 'mobilenet-cifar10';
export type ContenderId =
  | 'paperweight'
  | 'tfjs-webgpu'
  | 'tfjs-webgl'
  | 'tfjs-cpu'
  | 'tfjs-wasm'
  | 'jax-webgpu';

export const MODEL_IDS: ModelId[] = [
  'lenet5-mnist',
  'convnetjs-cifar10',
  'wide-cifar-cnn',
  'resnet20-cifar10',
  'mobilenet-cifar10',
];
export const CONTENDER_IDS: ContenderId[] = [
  'paperweight',
  'tfjs-webgpu',
  'tfjs-webgl',
  'tfjs-cpu',
  'tfjs-wasm',
  'jax-webgpu',
];

/** How long to time one model x contender pair. Steps per window adapt to the warm-up step time. */
export interface PairPlan {
  model: ModelId;
  contender: ContenderId;
  /** Untimed steps after the first one (the first step is timed separately as time to first step). */
  warmupSteps: number;
  /** Number of timed windows; the figure is the median of their samples/s. */
  windows: number;
  /** Each window runs about this long (at least one step). */
  windowSeconds: number;
  /** Hard cap on the timed part of this pair: fewer windows / steps when the contender is very slow. */
  budgetSeconds: number;
  /** Distinct batches the steps cycle through (the same sequence for every contender). */
  distinctBatches: number;
  seed: number;
}

/** GPU API calls counted in the page (prototype wrappers), over the timed windows only. */
export interface GpuCounts {
  createBuffer: number;
  createBindGroup: number;
  submit: number;
  writeBuffer: number;
  dispatch: number;
}

export interface PairResult {
  model: ModelId;
  contender: ContenderId;
  status: 'ok' | 'unsupported' | 'error';
  /** Why unsupported or what failed. */
  note?: string;
  batch: number;
  /** Backend / device start-up (adapter, device, tfjs backend init), before the model exists. */
  initMs?: number;
  /** From building the model (weights in place) to the end of the first training step: compile + step. */
  firstStepMs?: number;
  stepsPerWindow?: number;
  windowSamplesPerSec?: number[];
  samplesPerSec?: number;
  msPerStep?: number;
  /** Bytes on the GPU (Paperweight: arena bytes; TF.js: tf.memory()); null when not measurable. */
  memoryBytes?: number | null;
  memoryNote?: string;
  /** Loss of the very first step (initial weights) and the mean of the last window's losses. */
  lossFirst?: number;
  lossLast?: number;
  lossFell?: boolean;
  /** GPU calls over the timed steps, and per step. */
  counts?: GpuCounts;
  steps?: number;
  /** Paperweight only: arena createBuffer calls before and after the timed steps. */
  arenaAllocationsBefore?: number;
  arenaAllocationsAfter?: number;
  /** Paperweight: samples/s of one fit epoch over the batch pool (GPU gather, asynchronous metrics). */
  fitSamplesPerSec?: number;
  adapter?: string;
}

export interface KernelRow {
  label: string;
  kind: 'gather' | 'forward' | 'backward' | 'optimizer' | 'loss' | 'other';
  /** Mean time of one dispatch in ms. */
  ms: number;
  flops: number;
  gflops: number | null;
  /** Share of the summed kernel time of one training step. */
  share: number;
  /** GFLOP/s of the yardstick matmul with the same FLOPs; and this kernel's fraction of it. */
  matmulGflops: number | null;
  ofMatmul: number | null;
}

export interface KernelReport {
  adapter: string;
  method: 'timestamp-query' | 'wall-clock';
  model: ModelId;
  batch: number;
  rows: KernelRow[];
  /** Each yardstick matmul size and variant with its GFLOP/s. */
  yardsticks: { n: number; entry: 'tiled' | 'direct'; gflops: number }[];
  stepKernelMs: number;
  /** One whole step as trainOnBatch runs it (one submit, then the metrics read back), end to end. */
  stepWallMs: number;
  note?: string;
}

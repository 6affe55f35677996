// The trainer's public API (the UI's worker, the Keras exporter and the benchmark use exactly this).

export {
  checkTrainingMemory,
  estimateTrainingMemory,
  type MemoryEstimate,
  ModelTooLargeError,
} from './memory';
export type { AccuracyName, OutputPlan } from './output';
export type { KernelTiming, StepProfile } from './profile';
export { Trainer, type TrainerOptions } from './trainer';
// Every type the trainer's callers see (progress, history, evaluation), and its divergence error.
export * from './types';

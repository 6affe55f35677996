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
export {
  type BatchEnd,
  type EpochEnd,
  type Evaluation,
  type FitOptions,
  type History,
  type LayerActivation,
  type TrainerDataset,
  TrainingDivergedError,
} from './types';

// The training slice: settings, status, progress, latest metrics, the per-epoch history, the evaluation
// and the weights of the last good step. Per-batch points live in `batchSeries` (see series.ts).
import { create } from 'zustand';
import { DEFAULT_TRAINING, type NamedWeight, type OptimizerName } from '../model';
import type { ActivationMap, EpochMetrics, EvaluationResult } from '../worker/protocol';

export type TrainStatus = 'idle' | 'running' | 'paused' | 'done' | 'error';

export interface TrainSettings {
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  validationSplit: number;
}

export const DEFAULT_SETTINGS: TrainSettings = {
  optimizer: DEFAULT_TRAINING.optimizer.name,
  learningRate: DEFAULT_TRAINING.optimizer.learning_rate,
  batchSize: DEFAULT_TRAINING.batch_size,
  epochs: DEFAULT_TRAINING.epochs,
  validationSplit: DEFAULT_TRAINING.validation_split,
};

export interface Progress {
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** 0..100 over the whole run. */
  percent: number;
  etaSeconds: number | null;
}

export interface LatestMetrics {
  loss: number | null;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  samplesPerSec: number | null;
}

export const EMPTY_METRICS: LatestMetrics = {
  loss: null,
  accuracy: null,
  valLoss: null,
  valAccuracy: null,
  samplesPerSec: null,
};

interface TrainingState {
  settings: TrainSettings;
  status: TrainStatus;
  statusDetail: string | null;
  progress: Progress | null;
  latest: LatestMetrics;
  epochs: EpochMetrics[];
  evaluation: EvaluationResult | null;
  activations: ActivationMap[] | null;
  /** Weights of the last good step (a finished run or the last epoch checkpoint). */
  weights: NamedWeight[] | null;
  /** The model code those weights belong to. */
  weightsCode: string | null;
  checkpointEpoch: number;
  checkpointStep: number;
  sampleIndex: number;
  setSettings(s: Partial<TrainSettings>): void;
  patch(p: Partial<Omit<TrainingState, 'setSettings' | 'patch'>>): void;
}

/** A run's state before it starts: the store starts here and Reset returns here (settings are kept). */
export const INITIAL_RUN = {
  status: 'idle',
  statusDetail: null,
  progress: null,
  latest: EMPTY_METRICS,
  epochs: [],
  evaluation: null,
  activations: null,
  weights: null,
  weightsCode: null,
  checkpointEpoch: 0,
  checkpointStep: 0,
} satisfies Partial<TrainingState>;

export const useTraining = create<TrainingState>((set) => ({
  settings: DEFAULT_SETTINGS,
  ...INITIAL_RUN,
  sampleIndex: 0,
  setSettings: (s) => set((st) => ({ settings: { ...st.settings, ...s } })),
  patch: (p) => set(p),
}));

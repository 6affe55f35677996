// The typed messages between the page and the training worker. Everything here is structured-clone data:
// the worker owns the GPU device and the trainer, the page owns the dataset and the UI.
import type { Normalization } from '../data/types';
import type { BuiltModel, NamedWeight, TrainingConfig } from '../model';

export type InputAdapt = 'pad' | 'resize';

/** A dataset as the worker needs it (uint8 NHWC images, int labels). */
export interface DatasetPayload {
  /** Changes whenever the page's dataset changes, so the worker keeps its copy otherwise. */
  id: string;
  height: number;
  width: number;
  channels: number;
  classNames: string[];
  normalization: Normalization;
  train: { images: Uint8Array; labels: Int32Array; count: number };
  test: { images: Uint8Array; labels: Int32Array; count: number } | null;
}

export interface BatchMetrics {
  /** Global step, counted from the first batch of the run. */
  step: number;
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  loss: number;
  accuracy: number;
  samplesPerSec: number;
}

export interface EpochMetrics {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number | null;
  val_accuracy: number | null;
  samplesPerSec: number;
  seconds: number;
  /** Global step at the end of the epoch (places the validation point on the batch axis). */
  step: number;
}

export interface ActivationMap {
  layerName: string;
  /** Without batch: [h, w, c] or [n]. */
  shape: number[];
  data: Float32Array;
}

export interface WrongExample {
  index: number;
  label: number;
  /** [class, probability] of the three most probable classes. */
  top3: [number, number][];
}

export interface EvaluationResult {
  split: 'test' | 'val';
  loss: number;
  accuracy: number;
  count: number;
  numClasses: number;
  /** numClasses x numClasses, row = true class, column = predicted. */
  confusion: Int32Array;
  wrong: WrongExample[];
}

export interface TrainRequest {
  type: 'train';
  model: BuiltModel;
  config: TrainingConfig;
  dataset: DatasetPayload | null;
  datasetId: string;
  inputAdapt: InputAdapt;
  seed: number;
  /** Continue from these weights (a checkpoint) instead of a fresh initialization. */
  weights: NamedWeight[] | null;
  /** The first epoch to run (0-based) when continuing. */
  initialEpoch: number;
  /** Step numbering continues from here when continuing a run. */
  initialStep: number;
  /** The image whose feature maps are shown live, in the dataset's layout. */
  sample: Uint8Array | null;
}

export interface PredictRequest {
  type: 'predict';
  id: number;
  model: BuiltModel;
  weights: NamedWeight[];
  inputAdapt: InputAdapt;
  dataset: {
    height: number;
    width: number;
    channels: number;
    classNames: string[];
    normalization: Normalization;
  };
  image: Uint8Array;
  /** Also return the feature maps of this image. */
  withActivations: boolean;
}

export type ToWorker =
  | { type: 'init' }
  | TrainRequest
  | PredictRequest
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'sample'; image: Uint8Array }
  /** Test hook (sent only with ?testHooks=1): destroys the GPU device, as a driver reset would. */
  | { type: 'test-lose-device' };

export type ErrorKind = 'diverged' | 'device-lost' | 'unavailable' | 'other';

export type FromWorker =
  | { type: 'ready'; adapterName: string }
  | { type: 'unavailable'; message: string }
  | { type: 'status'; status: 'running' | 'paused' | 'evaluating' }
  | { type: 'batches'; items: BatchMetrics[] }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'checkpoint'; epoch: number; step: number; weights: NamedWeight[] }
  | { type: 'activations'; maps: ActivationMap[] }
  | { type: 'done'; stopped: boolean; evaluation: EvaluationResult | null; weights: NamedWeight[] }
  | { type: 'error'; kind: ErrorKind; message: string; weights: NamedWeight[] | null }
  | { type: 'prediction'; id: number; probs: Float32Array; maps: ActivationMap[] | null; error?: string };

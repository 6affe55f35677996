// The typed messages between the page and the training worker. Everything here is structured-clone data:
// the worker owns the GPU device and the trainer, the page owns the dataset and the UI. The trainer's own
// reports (BatchEnd, EpochEnd) cross unchanged; the page's store places them on the run's axes.
import type { Normalization } from '../data/types';
import type { BuiltModel, NamedWeight, TrainingConfig } from '../model';
import type {
  ActivationMap,
  BatchEnd,
  CallbackEvent,
  EpochEnd,
  EvaluationResult,
  History,
  InputAdapt,
} from '../train/types';
import type { Insight } from './insight';

/** A dataset as the worker needs it (uint8 NHWC images, int labels); its buffers are transferred. */
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
  /** Epochs to run (the run's total minus those a continued run already has). */
  epochs: number;
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
  /** What the fit reports beside the loss: its accuracy under the Keras name metrics= gave it, or null. */
  | { type: 'reported'; accuracy: string | null }
  /** One metrics read-back of this fit, as the trainer reported it (epoch 0-based and batch 1-based, in this fit). */
  | { type: 'batch'; end: BatchEnd }
  | { type: 'epoch'; end: EpochEnd }
  /** A Keras callback acted (epoch 0-based, in this fit): the fit log prints it as Keras does. */
  | { type: 'callback'; event: CallbackEvent }
  /** Weights after `epoch` (0-based, in this fit) finished. */
  | { type: 'checkpoint'; epoch: number; weights: NamedWeight[] }
  | { type: 'activations'; maps: ActivationMap[] }
  /** Weight norms per layer and the first layer's kernel, read a few times a minute while training. */
  | { type: 'insight'; insight: Insight }
  | {
      type: 'done';
      stopped: boolean;
      evaluation: EvaluationResult | null;
      weights: NamedWeight[];
      /** EarlyStopping ended the run (epochs of this fit), and what the callbacks could not do. */
      earlyStop?: History['earlyStop'];
      notes?: string[];
    }
  | { type: 'error'; kind: ErrorKind; message: string; weights: NamedWeight[] | null }
  | { type: 'prediction'; id: number; probs: Float32Array; maps: ActivationMap[] | null; error?: string };

// What the trainer reports: per-read-back batch metrics, per-epoch metrics, the history of a fit, and the
// error of a diverging run.
import type { ImageSet, Normalization } from '../data/types';
import type { CallbackConfig } from '../model/training-config';

export interface BatchEnd {
  epoch: number;
  /** Batches of this epoch done when the metrics were read (1-based). */
  batch: number;
  batchesPerEpoch: number;
  /** Averages over the steps since the previous read-back (metrics are read a few times a second). */
  loss: number;
  accuracy: number;
  samplesPerSec: number;
}

export interface EpochEnd {
  /** 0-based, as Keras's callbacks count. */
  epoch: number;
  /** Averages over the epoch's training samples (Keras semantics). */
  loss: number;
  accuracy: number;
  val_loss?: number;
  val_accuracy?: number;
  samplesPerSec: number;
  /** Wall time of the epoch, validation included. */
  seconds: number;
  /** The learning rate the epoch trained with; logged when a callback can change it (as Keras logs it). */
  learning_rate?: number;
}

export interface History {
  /** Completed epochs only; a stop in the middle of an epoch leaves that epoch out. */
  epochs: EpochEnd[];
  stopped: boolean;
  /** Set when EarlyStopping ended the run after `epoch`; `restored` when the best epoch's weights were put back. */
  earlyStop?: { epoch: number; monitor: string; best: number; bestEpoch: number; restored: boolean };
  /** Callbacks that could not act (e.g. monitoring val_loss without validation data), as Keras warns. */
  notes?: string[];
}

/**
 * What a Keras callback did, as Keras prints it with verbose=1: a scheduler setting the rate before `epoch`,
 * ReduceLROnPlateau lowering it after `epoch`, EarlyStopping ending the run after `epoch` (0-based, this fit).
 */
export type CallbackEvent =
  | { kind: 'LearningRateScheduler' | 'ReduceLROnPlateau'; epoch: number; learningRate: number }
  | { kind: 'EarlyStopping'; epoch: number; bestEpoch: number; restored: boolean };

export interface FitOptions {
  epochs: number;
  shuffle?: boolean;
  /** Keras callbacks (EarlyStopping, ReduceLROnPlateau, LearningRateScheduler); default the config's. */
  keras?: CallbackConfig[];
  callbacks?: {
    onBatchEnd?(b: BatchEnd): void;
    onEpochEnd?(e: EpochEnd): void;
    onCallback?(e: CallbackEvent): void;
  };
}

export interface TrainerDataset {
  height: number;
  width: number;
  channels: number;
  classNames: string[];
  normalization: Normalization;
  train: ImageSet;
  /** Validation set; when absent (undefined or null) and the config's validation_split > 0, the last
   * fraction of `train` is held out, as Keras's validation_split does. */
  val?: ImageSet | null;
  test?: ImageSet | null;
}

export interface Evaluation {
  loss: number;
  accuracy: number;
  /** classes x classes, row = true label, column = predicted label. */
  confusion: Int32Array;
}

export interface LayerActivation {
  layerName: string;
  shape: number[];
  data: Float32Array;
}

/** The loss became NaN or Inf. The last weights with a finite loss have been restored. */
export class TrainingDivergedError extends Error {
  constructor(
    message: string,
    readonly epoch: number,
    readonly step: number,
    readonly learningRate: number,
  ) {
    super(message);
    this.name = 'TrainingDivergedError';
  }
}

// Shared with the page (store and UI) through the worker: what a run reports once it is reduced.

/** How images of another size are fitted to the model's input. */
export type InputAdapt = 'pad' | 'resize';

/** One finished epoch as the page keeps it: Keras's epoch logs, placed on the run's global step axis. */
export interface EpochMetrics {
  /** 0-based over the whole run (continuing a run keeps counting). */
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number | null;
  val_accuracy: number | null;
  samplesPerSec: number;
  seconds: number;
  /** Global step at the end of the epoch (places the validation point on the batch axis). */
  step: number;
  /** Batches in the epoch (Keras's `844/844`). */
  batchesPerEpoch: number;
  /** The learning rate the epoch trained with, when a callback can change it (Keras then logs it). */
  learning_rate?: number;
}

/** Feature maps of one layer for one image, without the batch axis. */
export type ActivationMap = LayerActivation;

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

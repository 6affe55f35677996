// What a run sends the worker: the Keras training config from the settings, the dataset (cut to
// `?subset=N`) with its transfer list, and the sample whose feature maps are shown.
import type { Dataset } from '../data/types';
import { defaultOptimizer, type OptimizerName, type TrainingConfig } from '../model';
import type { DatasetPayload } from '../worker/protocol';

export interface TrainSettings {
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  validationSplit: number;
}

/** `?subset=N` limits training (and test) samples: quick runs, and the e2e tests on SwiftShader. */
export function subsetLimit(search = globalThis.location?.search ?? ''): number | null {
  const v = new URLSearchParams(search).get('subset');
  const n = v ? Number.parseInt(v, 10) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** The settings as Keras's compile/fit arguments; optimizer options from the code are kept when it matches. */
export function trainingConfig(s: TrainSettings, code: Partial<TrainingConfig>): TrainingConfig {
  const opt = {
    ...defaultOptimizer(s.optimizer),
    ...(code.optimizer?.name === s.optimizer ? code.optimizer : {}),
  };
  return {
    optimizer: { ...opt, learning_rate: s.learningRate },
    loss: code.loss ?? 'sparse_categorical_crossentropy',
    // compile()'s from_logits, metrics and fit()'s callbacks come from the code as written.
    ...(code.from_logits !== undefined ? { from_logits: code.from_logits } : {}),
    metrics: code.metrics ?? ['accuracy'],
    ...(code.callbacks ? { callbacks: code.callbacks } : {}),
    batch_size: s.batchSize,
    epochs: s.epochs,
    validation_split: s.validationSplit,
  };
}

/**
 * The dataset the worker trains on, cut to `limit` samples. Its arrays are fresh copies (the page keeps its
 * own), listed in `transfer` so posting them moves the memory instead of copying it a second time.
 */
export function datasetPayload(
  d: Dataset,
  id: string,
  limit: number | null,
): { payload: DatasetPayload; transfer: ArrayBuffer[] } {
  const px = d.height * d.width * d.channels;
  const transfer: ArrayBuffer[] = [];
  const cut = (s: { images: Uint8Array; labels: Int32Array; count: number }) => {
    const n = limit ? Math.min(limit, s.count) : s.count;
    const images = s.images.slice(0, n * px);
    const labels = s.labels.slice(0, n);
    transfer.push(images.buffer, labels.buffer);
    return { images, labels, count: n };
  };
  const payload = {
    id,
    height: d.height,
    width: d.width,
    channels: d.channels,
    classNames: d.classNames,
    normalization: d.normalization,
    train: cut(d.train),
    test: d.test ? cut(d.test) : null,
  };
  return { payload, transfer };
}

/** One training image (a copy), in the dataset's layout. */
export function sampleImage(d: Dataset, index: number): Uint8Array {
  const px = d.height * d.width * d.channels;
  const i = Math.min(index, d.train.count - 1);
  return d.train.images.slice(i * px, (i + 1) * px);
}

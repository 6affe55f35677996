// The page's side of the worker: starts it, turns its messages into store updates, and offers the actions
// the training panel calls. Also restarts the worker if it crashes, keeping the last good weights.
import type { Dataset } from '../data/types';
import type { TrainingConfig } from '../model';
import { defaultOptimizer } from '../model';
import { useDataset } from '../store/dataset';
import { useModel } from '../store/model';
import { batchSeries } from '../store/series';
import { EMPTY_METRICS, INITIAL_RUN, useTraining } from '../store/training';
import { useUi } from '../store/ui';
import type { ActivationMap, DatasetPayload, FromWorker, ToWorker } from './protocol';

let worker: Worker | null = null;
/** The dataset id the worker holds a copy of. */
let workerDatasetId = '';
let runStartedAt = 0;
let runStartStep = 0;
let nextPredictId = 1;
const predictWaiters = new Map<number, (m: Extract<FromWorker, { type: 'prediction' }>) => void>();

/** `?subset=N` limits training (and test) samples: quick runs, and the e2e tests on SwiftShader. */
export function subsetLimit(search = globalThis.location?.search ?? ''): number | null {
  const v = new URLSearchParams(search).get('subset');
  const n = v ? Number.parseInt(v, 10) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

function send(m: ToWorker, transfer: Transferable[] = []): void {
  ensureWorker().postMessage(m, transfer);
}

export function ensureWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./train.worker.ts', import.meta.url), {
    type: 'module',
    name: 'paperweight-train',
  });
  worker = w;
  workerDatasetId = '';
  w.onmessage = (ev: MessageEvent<FromWorker>) => handle(ev.data);
  w.onerror = (ev) => {
    ev.preventDefault();
    crashed(ev.message || 'the training worker failed to start');
  };
  return w;
}

function crashed(reason: string): void {
  worker?.terminate();
  worker = null;
  const t = useTraining.getState();
  const was = t.status;
  if (was === 'running' || was === 'paused') {
    t.patch({ status: 'error', statusDetail: `The training worker crashed (${reason}).` });
  }
  useUi
    .getState()
    .setAppError(
      `The training worker crashed: ${reason}. ${t.weights ? 'The weights of the last good epoch are kept; ' : ''}press Start to train again.`,
    );
}

/** `?testHooks=1` exposes hooks the end-to-end tests use to break things on purpose. */
function installTestHooks(): void {
  if (!new URLSearchParams(globalThis.location?.search ?? '').has('testHooks')) return;
  (globalThis as { __paperweightTest?: unknown }).__paperweightTest = {
    loseDevice: () => send({ type: 'test-lose-device' }),
  };
}

export function initWorker(): void {
  installTestHooks();
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) {
    useUi.getState().setWebGpu({
      state: 'unavailable',
      message:
        'This browser has no WebGPU (navigator.gpu is missing). To train, use Chrome or Edge 113 or newer; on Linux start Chromium with --enable-unsafe-webgpu --enable-features=Vulkan; ' +
        'in Firefox Nightly or Safari Technology Preview enable WebGPU in the settings.',
    });
    return;
  }
  send({ type: 'init' });
}

function handle(m: FromWorker): void {
  const t = useTraining.getState();
  const ui = useUi.getState();
  switch (m.type) {
    case 'ready':
      ui.setWebGpu({ state: 'ready', adapterName: m.adapterName });
      void refreshMaps();
      break;
    case 'unavailable':
      ui.setWebGpu({ state: 'unavailable', message: m.message });
      break;
    case 'status':
      if (m.status === 'evaluating') t.patch({ statusDetail: 'evaluating on the test set…' });
      else t.patch({ status: m.status, statusDetail: null });
      break;
    case 'batches': {
      for (const b of m.items) batchSeries.push(b.step, b.loss, b.accuracy);
      const last = m.items[m.items.length - 1];
      const epochs = t.settings.epochs;
      const done = last.epoch * last.batchesPerEpoch + last.batch + 1;
      const total = epochs * last.batchesPerEpoch;
      const elapsed = (performance.now() - runStartedAt) / 1000;
      const doneThisRun = last.step - runStartStep;
      const left = total - done;
      t.patch({
        latest: { ...t.latest, loss: last.loss, accuracy: last.accuracy, samplesPerSec: last.samplesPerSec },
        progress: {
          epoch: last.epoch,
          epochs,
          batch: last.batch + 1,
          batchesPerEpoch: last.batchesPerEpoch,
          percent: Math.min(100, (100 * done) / Math.max(1, total)),
          etaSeconds: doneThisRun > 0 ? (elapsed / doneThisRun) * left : null,
        },
      });
      break;
    }
    case 'epoch':
      t.patch({
        epochs: [...t.epochs.filter((e) => e.epoch !== m.metrics.epoch), m.metrics],
        latest: {
          ...t.latest,
          valLoss: m.metrics.val_loss,
          valAccuracy: m.metrics.val_accuracy,
          samplesPerSec: m.metrics.samplesPerSec,
        },
      });
      break;
    case 'checkpoint':
      t.patch({
        weights: m.weights,
        weightsCode: useModel.getState().appliedCode,
        checkpointEpoch: m.epoch,
        checkpointStep: m.step,
      });
      break;
    case 'activations':
      t.patch({ activations: m.maps });
      break;
    case 'done':
      t.patch({
        status: 'done',
        statusDetail: m.stopped ? 'stopped' : null,
        evaluation: m.evaluation,
        weights: m.weights,
        weightsCode: useModel.getState().appliedCode,
        progress: t.progress
          ? { ...t.progress, percent: m.stopped ? t.progress.percent : 100, etaSeconds: 0 }
          : null,
      });
      break;
    case 'error':
      t.patch({ status: 'error', statusDetail: m.message });
      if (m.weights) t.patch({ weights: m.weights, weightsCode: useModel.getState().appliedCode });
      ui.setAppError(m.message);
      if (m.kind === 'unavailable') ui.setWebGpu({ state: 'unavailable', message: m.message });
      break;
    case 'prediction':
      predictWaiters.get(m.id)?.(m);
      predictWaiters.delete(m.id);
      break;
  }
}

/** The dataset the worker trains on: the page's, cut to `?subset=N` when asked. */
export function datasetPayload(d: Dataset, id: string, limit: number | null): DatasetPayload {
  const px = d.height * d.width * d.channels;
  const cut = (s: { images: Uint8Array; labels: Int32Array; count: number }) => {
    const n = limit ? Math.min(limit, s.count) : s.count;
    return { images: s.images.slice(0, n * px), labels: s.labels.slice(0, n), count: n };
  };
  return {
    id,
    height: d.height,
    width: d.width,
    channels: d.channels,
    classNames: d.classNames,
    normalization: d.normalization,
    train: cut(d.train),
    test: d.test ? cut(d.test) : null,
  };
}

export function trainingConfig(): TrainingConfig {
  const s = useTraining.getState().settings;
  const code = useModel.getState().codeTraining;
  const opt = {
    ...defaultOptimizer(s.optimizer),
    ...(code.optimizer?.name === s.optimizer ? code.optimizer : {}),
  };
  return {
    optimizer: { ...opt, learning_rate: s.learningRate },
    loss: code.loss ?? 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
    batch_size: s.batchSize,
    epochs: s.epochs,
    validation_split: s.validationSplit,
  };
}

export function sampleImage(d: Dataset, index: number): Uint8Array {
  const px = d.height * d.width * d.channels;
  const i = Math.min(index, d.train.count - 1);
  return d.train.images.slice(i * px, (i + 1) * px);
}

/** Start a run; `resumeFromCheckpoint` continues from the last saved epoch with its weights. */
export function startTraining(resumeFromCheckpoint = false): void {
  const model = useModel.getState();
  const ds = useDataset.getState();
  const t = useTraining.getState();
  const ui = useUi.getState();
  if (!model.built || !ds.dataset) return;
  if (ui.webgpu.state === 'unavailable') {
    t.patch({ status: 'error', statusDetail: ui.webgpu.message });
    return;
  }
  ui.setAppError(null);
  const cont = resumeFromCheckpoint && t.weights !== null && t.weightsCode === model.appliedCode;
  if (!cont) {
    batchSeries.clear();
    t.patch({ epochs: [], evaluation: null, latest: EMPTY_METRICS, checkpointEpoch: 0, checkpointStep: 0 });
  }
  const payload = workerDatasetId === ds.id ? null : datasetPayload(ds.dataset, ds.id, subsetLimit());
  ensureWorker();
  workerDatasetId = ds.id;
  runStartedAt = performance.now();
  runStartStep = cont ? t.checkpointStep : 0;
  t.patch({ status: 'running', statusDetail: 'starting…', progress: null });
  send({
    type: 'train',
    model: model.built,
    config: trainingConfig(),
    dataset: payload,
    datasetId: ds.id,
    inputAdapt: ds.inputAdapt,
    seed: 42,
    weights: cont ? t.weights : null,
    initialEpoch: cont ? t.checkpointEpoch : 0,
    initialStep: cont ? t.checkpointStep : 0,
    sample: sampleImage(ds.dataset, t.sampleIndex),
  });
}

export const pauseTraining = () => send({ type: 'pause' });
export const resumeTraining = () => send({ type: 'resume' });
export const stopTraining = () => send({ type: 'stop' });

export function resetTraining(): void {
  if (worker && (useTraining.getState().status === 'running' || useTraining.getState().status === 'paused')) {
    send({ type: 'stop' });
  }
  batchSeries.clear();
  useTraining.getState().patch(INITIAL_RUN);
}

export function setSample(index: number): void {
  const d = useDataset.getState().dataset;
  const t = useTraining.getState();
  t.patch({ sampleIndex: index });
  if (!d || !worker) return;
  if (t.status === 'running' || t.status === 'paused') send({ type: 'sample', image: sampleImage(d, index) });
  else void refreshMaps();
}

/** Feature maps of the chosen sample with the trained weights (after a run, a reload, a new sample). */
export async function refreshMaps(): Promise<void> {
  const t = useTraining.getState();
  const d = useDataset.getState().dataset;
  if (!d || useUi.getState().webgpu.state !== 'ready') return;
  const r = await predictImage(sampleImage(d, t.sampleIndex), true);
  if (r?.maps && useTraining.getState().status !== 'running')
    useTraining.getState().patch({ activations: r.maps });
}

/** Class probabilities (and feature maps) of one image in the dataset's layout, with the trained weights. */
export function predictImage(
  image: Uint8Array,
  withActivations = false,
): Promise<{ probs: Float32Array; maps: ActivationMap[] | null; error?: string }> | null {
  const model = useModel.getState();
  const t = useTraining.getState();
  const d = useDataset.getState().dataset;
  if (!model.built || !t.weights || !d || t.weightsCode !== model.appliedCode) return null;
  const id = nextPredictId++;
  return new Promise((resolve) => {
    predictWaiters.set(id, (m) => resolve({ probs: m.probs, maps: m.maps, error: m.error }));
    send({
      type: 'predict',
      id,
      model: model.built!,
      weights: t.weights!,
      inputAdapt: useDataset.getState().inputAdapt,
      dataset: {
        height: d.height,
        width: d.width,
        channels: d.channels,
        classNames: d.classNames,
        normalization: d.normalization,
      },
      image,
      withActivations,
    });
  });
}

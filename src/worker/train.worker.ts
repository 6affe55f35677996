// The training worker: owns the WebGPU device and the trainer, so the page stays responsive while it trains.
// It answers the messages of protocol.ts and reports progress, metrics, feature maps and errors.
/// <reference lib="webworker" />
import { splitValidation } from '../data/split';
import { createContext, type GpuContext } from '../gpu/context';
import { type AcquiredDevice, acquireDevice, WebGpuUnavailableError } from '../gpu/device';
import type { Trainer } from '../train';
import { confidentlyWrong } from './evaluate';
import type {
  ActivationMap,
  BatchMetrics,
  DatasetPayload,
  FromWorker,
  PredictRequest,
  ToWorker,
  TrainRequest,
} from './protocol';

declare const self: DedicatedWorkerGlobalScope;

// TEMPORARY while src/train lands: load it lazily so the worker still reports the adapter without it.
type TrainModule = typeof import('../train');
const trainModules = import.meta.glob<TrainModule>('../train/index.ts');
async function trainModule(): Promise<TrainModule> {
  const load = Object.values(trainModules)[0];
  if (!load) throw new Error('the trainer (src/train) is not in this build yet');
  return load();
}

const post = (m: FromWorker, transfer: Transferable[] = []) => self.postMessage(m, transfer);

let acquired: AcquiredDevice | null = null;
let ctx: GpuContext | null = null;
let dataset: DatasetPayload | null = null;
let trainer: Trainer | null = null;
let training = false;
let sample: Uint8Array | null = null;
let lostReported = false;

async function ensureContext(): Promise<GpuContext> {
  if (ctx) return ctx;
  acquired = await acquireDevice(self.navigator.gpu ?? null);
  const mine = acquired;
  ctx = createContext(mine.device);
  lostReported = false;
  mine.device.lost.then((info) => {
    if (acquired !== mine) return;
    ctx = null;
    trainer = null;
    acquired = null;
    if (info.reason === 'destroyed' && !training) return;
    if (lostReported) return;
    lostReported = true;
    post({
      type: 'error',
      kind: 'device-lost',
      message: `The GPU device was lost (${info.message || info.reason}). Training stopped; the weights of the last epoch are kept. Press Start to continue from them.`,
      weights: null,
    });
  });
  return ctx;
}

async function init(): Promise<void> {
  try {
    await ensureContext();
    post({ type: 'ready', adapterName: acquired?.adapterName ?? 'WebGPU adapter' });
  } catch (e) {
    post({ type: 'unavailable', message: e instanceof Error ? e.message : String(e) });
  }
}

async function maps(t: Trainer, image: Uint8Array): Promise<ActivationMap[]> {
  const acts = await t.activations(image);
  return acts.map((a) => ({ layerName: a.layerName, shape: a.shape, data: a.data }));
}

async function train(req: TrainRequest): Promise<void> {
  if (req.dataset) dataset = req.dataset;
  if (!dataset || dataset.id !== req.datasetId) throw new Error('the worker has no copy of this dataset');
  if (req.sample) sample = req.sample;
  const c = await ensureContext();
  trainer?.dispose?.();
  trainer = null;
  const { Trainer } = await trainModule();
  const t = await Trainer.create(c, req.model, req.config, {
    seed: req.seed,
    inputAdapt: req.inputAdapt,
    weights: req.weights ?? undefined,
  });
  trainer = t;
  const { train: trainSet, val } = splitValidation(dataset.train, req.config.validation_split, req.seed);
  t.setDataset({
    height: dataset.height,
    width: dataset.width,
    channels: dataset.channels,
    classNames: dataset.classNames,
    normalization: dataset.normalization,
    train: trainSet,
    val,
    test: dataset.test,
  });

  training = true;
  post({ type: 'status', status: 'running' });
  let pending: BatchMetrics[] = [];
  const flush = () => {
    if (pending.length > 0) post({ type: 'batches', items: pending });
    pending = [];
  };
  const flusher = setInterval(flush, 100);
  let lastMaps = 0;
  let mapsBusy = false;
  const showMaps = () => {
    if (!sample || mapsBusy) return;
    mapsBusy = true;
    lastMaps = performance.now();
    maps(t, sample)
      .then((m) => post({ type: 'activations', maps: m }))
      .catch(() => {})
      .finally(() => {
        mapsBusy = false;
      });
  };
  showMaps();
  const epochs = Math.max(0, req.config.epochs - req.initialEpoch);
  let stepsPerEpoch = 0;
  try {
    await t.fit({
      epochs,
      shuffle: true,
      callbacks: {
        onBatchEnd: (m) => {
          stepsPerEpoch = m.batchesPerEpoch;
          const epoch = req.initialEpoch + m.epoch;
          pending.push({
            step: req.initialStep + m.epoch * m.batchesPerEpoch + m.batch + 1,
            epoch,
            batch: m.batch,
            batchesPerEpoch: m.batchesPerEpoch,
            loss: m.loss,
            accuracy: m.accuracy,
            samplesPerSec: m.samplesPerSec,
          });
          if (performance.now() - lastMaps > 1000) showMaps();
        },
        onEpochEnd: async (m) => {
          flush();
          const epoch = req.initialEpoch + m.epoch;
          const step = req.initialStep + (m.epoch + 1) * stepsPerEpoch;
          post({
            type: 'epoch',
            metrics: {
              epoch,
              loss: m.loss,
              accuracy: m.accuracy,
              val_loss: m.val_loss ?? null,
              val_accuracy: m.val_accuracy ?? null,
              samplesPerSec: m.samplesPerSec,
              seconds: m.seconds,
              step,
            },
          });
          const weights = await t.getWeights();
          post({ type: 'checkpoint', epoch: epoch + 1, step, weights });
        },
      },
    });
    flush();
    const stopped = t.stopped ?? false;
    post({ type: 'status', status: 'evaluating' });
    const evaluation = await evaluateAll(t);
    if (sample) post({ type: 'activations', maps: await maps(t, sample) });
    post({ type: 'done', stopped, evaluation, weights: await t.getWeights() });
  } finally {
    clearInterval(flusher);
    training = false;
  }
}

async function evaluateAll(t: Trainer) {
  if (!dataset) return null;
  const test = dataset.test;
  const split = test && test.count > 0 ? 'test' : 'val';
  const r = await t.evaluate(split);
  const classes = dataset.classNames.length;
  let wrong: ReturnType<typeof confidentlyWrong> = [];
  if (test && split === 'test') {
    const probs = await t.predict(test.images, test.count);
    wrong = confidentlyWrong(probs, test.labels, test.count, classes, 12);
  }
  const count = Math.round(r.confusion.reduce((a, b) => a + b, 0));
  return {
    split,
    loss: r.loss,
    accuracy: r.accuracy,
    count,
    numClasses: classes,
    confusion: r.confusion,
    wrong,
  } as const;
}

/** Prediction for the draw-a-digit canvas: reuses the trainer when it holds these weights. */
let predictKey = '';
async function predict(req: PredictRequest): Promise<void> {
  const c = await ensureContext();
  const key = `${JSON.stringify(req.model)}|${req.weights.length}|${req.weights[0]?.data[0]}`;
  if (!trainer || (!training && key !== predictKey)) {
    trainer?.dispose?.();
    const { Trainer } = await trainModule();
    trainer = await Trainer.create(c, req.model, DEFAULT_PREDICT_CONFIG, {
      seed: 1,
      inputAdapt: req.inputAdapt,
      weights: req.weights,
    });
    predictKey = key;
  }
  const probs = await trainer.predict(req.image, 1, req.dataset);
  const m = req.withActivations ? await maps(trainer, req.image) : null;
  post({ type: 'prediction', id: req.id, probs, maps: m });
}

function reportError(e: unknown): void {
  training = false;
  if (e instanceof Error && e.name === 'TrainingDivergedError') {
    post({
      type: 'error',
      kind: 'diverged',
      message: `${e.message} The loss became NaN or infinite: try a lower learning rate (e.g. a tenth of it). The weights of the last good epoch are kept.`,
      weights: null,
    });
  } else if (e instanceof WebGpuUnavailableError) {
    post({ type: 'error', kind: 'unavailable', message: e.message, weights: null });
  } else if (!lostReported) {
    post({
      type: 'error',
      kind: 'other',
      message: e instanceof Error ? e.message : String(e),
      weights: null,
    });
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  switch (m.type) {
    case 'init':
      void init();
      break;
    case 'train':
      train(m).catch(reportError);
      break;
    case 'predict':
      predict(m).catch(reportError);
      break;
    case 'pause':
      trainer?.pause();
      post({ type: 'status', status: 'paused' });
      break;
    case 'resume':
      trainer?.resume();
      post({ type: 'status', status: 'running' });
      break;
    case 'stop':
      trainer?.stop();
      break;
    case 'sample':
      sample = m.image;
      if (trainer && !training)
        maps(trainer, m.image).then(
          (x) => post({ type: 'activations', maps: x }),
          () => {},
        );
      break;
  }
};

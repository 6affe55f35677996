// The training worker: owns the WebGPU device and the trainer, so the page stays responsive while it trains.
// It answers the messages of protocol.ts and reports progress, metrics, feature maps and errors.
/// <reference lib="webworker" />
import { splitValidation } from '../data/split';
import { createContext, type GpuContext } from '../gpu/context';
import { type AcquiredDevice, acquireDevice } from '../gpu/device';
import { DEFAULT_TRAINING, type NamedWeight } from '../model';
import { Trainer } from '../train';
import type { ActivationMap, EvaluationResult } from '../train/types';
import { adaptImage } from './adapt';
import { confidentlyWrong } from './evaluate';
import { insightOf, snapshotOf } from './insight';
import type { DatasetPayload, FromWorker, PredictRequest, ToWorker, TrainRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: FromWorker) => self.postMessage(m);

let acquired: AcquiredDevice | null = null;
let ctx: GpuContext | null = null;
let dataset: DatasetPayload | null = null;
let trainer: Trainer | null = null;
/** Whether `trainer` holds the dataset (then it takes images at the dataset's size). */
let trainerHasData = false;
let predictKey = '';
let training = false;
let sample: Uint8Array | null = null;
let lostReported = false;

/** GPU read-backs of the worker (feature maps, checkpoints, predictions) run one at a time. */
let gate: Promise<unknown> = Promise.resolve();
function serial<T>(f: () => Promise<T>): Promise<T> {
  const run = gate.then(f, f);
  gate = run.catch(() => {});
  return run;
}

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
  const acts = await serial(() => t.activations(image));
  return acts.map((a) => ({ layerName: a.layerName, shape: a.shape, data: a.data }));
}

function dropTrainer(): void {
  // A read of the old trainer that never settles (its buffers are gone) must not hold up the new one's.
  gate = Promise.resolve();
  trainer?.destroy();
  trainer = null;
  trainerHasData = false;
  predictKey = '';
}

async function train(req: TrainRequest): Promise<void> {
  if (req.dataset) dataset = req.dataset;
  if (!dataset || dataset.id !== req.datasetId) throw new Error('the worker has no copy of this dataset');
  if (req.sample) sample = req.sample;
  const c = await ensureContext();
  dropTrainer();
  const t = await Trainer.create(c, req.model, req.config, {
    seed: req.seed,
    inputAdapt: req.inputAdapt,
    weights: req.weights ?? undefined,
  });
  trainer = t;
  const split =
    req.config.validation_split > 0
      ? splitValidation(dataset.train, req.config.validation_split, req.seed)
      : { train: dataset.train, val: null };
  t.setDataset({
    height: dataset.height,
    width: dataset.width,
    channels: dataset.channels,
    classNames: dataset.classNames,
    normalization: dataset.normalization,
    train: split.train,
    val: split.val,
    test: dataset.test,
  });
  trainerHasData = true;

  training = true;
  post({ type: 'status', status: 'running' });
  post({ type: 'reported', accuracy: t.reported.accuracy });
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
  // Weight norms and the first kernel: from the checkpoints, and from a read every few seconds in between.
  let previous: Map<string, Float32Array> | null = null;
  let lastInsight = performance.now();
  let insightBusy = false;
  const postInsight = (weights: NamedWeight[]) => {
    post({ type: 'insight', insight: insightOf(weights, previous) });
    previous = snapshotOf(weights);
  };
  const readInsight = () => {
    if (insightBusy) return;
    insightBusy = true;
    lastInsight = performance.now();
    serial(() => t.getWeights())
      .then(postInsight, () => {})
      .finally(() => {
        insightBusy = false;
      });
  };
  readInsight();
  try {
    let history: Awaited<ReturnType<Trainer['fit']>>;
    try {
      // The trainer reads metrics back a few times a second; each read-back goes to the page as it is.
      history = await t.fit({
        epochs: Math.max(1, req.epochs),
        shuffle: true,
        callbacks: {
          onBatchEnd: (end) => {
            post({ type: 'batch', end });
            if (performance.now() - lastMaps > 1000) showMaps();
            if (performance.now() - lastInsight > 2500) readInsight();
          },
          onCallback: (event) => post({ type: 'callback', event }),
          onEpochEnd: (end) => {
            post({ type: 'epoch', end });
            // The checkpoint is read while the next epoch starts; the page keeps it as the last good weights.
            serial(() => t.getWeights()).then(
              (weights) => {
                post({ type: 'checkpoint', epoch: end.epoch, weights });
                lastInsight = performance.now();
                postInsight(weights);
              },
              () => {},
            );
          },
        },
      });
    } catch (e) {
      if (e instanceof Error && e.name === 'TrainingDivergedError') {
        // The trainer has put back the last weights with a finite loss: they are the last good step.
        const weights = await serial(() => t.getWeights()).catch(() => null);
        training = false;
        post({ type: 'error', kind: 'diverged', message: `Training stopped: ${e.message}`, weights });
        return;
      }
      throw e;
    }
    training = false;
    post({ type: 'status', status: 'evaluating' });
    const evaluation = await evaluateAll(t);
    if (sample) post({ type: 'activations', maps: await maps(t, sample) });
    const weights = await serial(() => t.getWeights());
    predictKey = keyOf(req.model, weights);
    postInsight(weights);
    post({
      type: 'done',
      stopped: history.stopped,
      evaluation,
      weights,
      earlyStop: history.earlyStop,
      notes: history.notes,
    });
  } finally {
    training = false;
  }
}

async function evaluateAll(t: Trainer): Promise<EvaluationResult | null> {
  if (!dataset) return null;
  const test = dataset.test;
  const split = test && test.count > 0 ? 'test' : 'val';
  let r: Awaited<ReturnType<Trainer['evaluate']>>;
  try {
    r = await serial(() => t.evaluate(split));
  } catch {
    return null; // no test set and no validation split: nothing to evaluate on
  }
  const classes = dataset.classNames.length;
  let wrong: EvaluationResult['wrong'] = [];
  if (test && split === 'test') {
    const probs = await serial(() => t.predict(test.images, test.count));
    wrong = confidentlyWrong(probs, test.labels, test.count, classes, 12);
  }
  const count = r.confusion.reduce((a, b) => a + b, 0);
  return {
    split,
    loss: r.loss,
    accuracy: r.accuracy,
    count,
    numClasses: classes,
    confusion: r.confusion,
    wrong,
  };
}

function keyOf(model: unknown, weights: NamedWeight[]): string {
  let sum = 0;
  for (const w of weights) for (let i = 0; i < w.data.length; i += 97) sum += w.data[i];
  return `${JSON.stringify(model)}|${weights.length}|${sum}`;
}

/** Prediction for the draw-a-digit canvas: reuses the trainer when it holds these weights. */
async function predict(req: PredictRequest): Promise<void> {
  const c = await ensureContext();
  const key = keyOf(req.model, req.weights);
  if (!trainer || (!training && key !== predictKey)) {
    dropTrainer();
    const config = { ...DEFAULT_TRAINING, batch_size: 1, validation_split: 0 };
    trainer = await Trainer.create(c, req.model, config, {
      seed: 1,
      inputAdapt: req.inputAdapt,
      weights: req.weights,
    });
    predictKey = key;
  }
  let image = req.image;
  if (!trainerHasData) {
    // Without a dataset the trainer takes images at the model's input size.
    const [h, w, ch] =
      req.model.inputShape.length === 3 ? req.model.inputShape : [1, req.model.inputShape[0], 1];
    const d = req.dataset;
    image = adaptImage(req.image, d.height, d.width, d.channels, h, w, ch, req.inputAdapt);
  }
  const t = trainer;
  const probs = await serial(() => t.predict(image, 1));
  const m = req.withActivations ? await maps(t, image) : null;
  post({ type: 'prediction', id: req.id, probs, maps: m });
}

function reportError(e: unknown): void {
  training = false;
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof Error && e.name === 'TrainingDivergedError') {
    post({ type: 'error', kind: 'diverged', message: `Training stopped: ${message}`, weights: null });
  } else if (e instanceof Error && e.name === 'WebGpuUnavailableError') {
    post({ type: 'error', kind: 'unavailable', message, weights: null });
  } else if (!lostReported) {
    post({ type: 'error', kind: 'other', message, weights: null });
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
      predict(m).catch((e: unknown) =>
        post({
          type: 'prediction',
          id: m.id,
          probs: new Float32Array(0),
          maps: null,
          error: e instanceof Error ? e.message : String(e),
        }),
      );
      break;
    case 'pause':
      // Paused once the steps in flight have reported (the page's progress then stays put).
      if (trainer) trainer.pause(() => post({ type: 'status', status: 'paused' }));
      else post({ type: 'status', status: 'paused' });
      break;
    case 'resume':
      trainer?.resume();
      post({ type: 'status', status: 'running' });
      break;
    case 'stop':
      trainer?.resume();
      trainer?.stop();
      break;
    case 'test-lose-device':
      acquired?.device.destroy();
      break;
    case 'sample':
      sample = m.image;
      if (trainer && trainerHasData && !training) {
        maps(trainer, m.image).then(
          (x) => post({ type: 'activations', maps: x }),
          () => {},
        );
      }
      break;
  }
};

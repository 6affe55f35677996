// The training slice: settings, the run state (see run-reducer.ts), the live feature maps and the chosen
// sample, and the run controls as actions. The worker's messages come in through `receive`; per-batch points
// for the curves live in `batchSeries` (typed arrays), and `seriesVersion` tells the charts to redraw.
import { create } from 'zustand';
import { DEFAULT_TRAINING } from '../model';
import type { ActivationMap } from '../train/types';
import { send, workerAlive } from '../worker/client';
import type { Insight, LayerNorm } from '../worker/insight';
import type { FromWorker } from '../worker/protocol';
import { useDataset } from './dataset';
import { useModel } from './model';
import { refreshMaps } from './predict';
import { datasetPayload, sampleImage, subsetLimit, type TrainSettings, trainingConfig } from './run-config';
import { globalStep, INITIAL_RUN, type RunState, reduceRun } from './run-reducer';
import { batchSeries } from './series';
import { useUi } from './ui';

export type { TrainSettings } from './run-config';
export { INITIAL_RUN, type TrainStatus } from './run-reducer';

export const DEFAULT_SETTINGS: TrainSettings = {
  optimizer: DEFAULT_TRAINING.optimizer.name,
  learningRate: DEFAULT_TRAINING.optimizer.learning_rate,
  batchSize: DEFAULT_TRAINING.batch_size,
  epochs: DEFAULT_TRAINING.epochs,
  validationSplit: DEFAULT_TRAINING.validation_split,
};

/** Weight norms per layer over the run's steps, and the latest first-layer kernel. */
export interface Learned {
  history: { step: number; norms: LayerNorm[] }[];
  kernel: Insight['firstKernel'];
}

/** Norm reads kept per run (a read every few seconds: hours of training). */
const MAX_NORM_READS = 2000;

export interface TrainingState extends RunState {
  settings: TrainSettings;
  activations: ActivationMap[] | null;
  learned: Learned | null;
  sampleIndex: number;
  /** Bumped whenever `batchSeries` changes. */
  seriesVersion: number;
  setSettings(s: Partial<TrainSettings>): void;
  patch(p: Partial<RunState & { activations: ActivationMap[] | null; sampleIndex: number }>): void;
  /** Applies one worker message to the run. */
  receive(m: FromWorker): void;
  /** Starts a run; `resumeFromCheckpoint` continues from the last saved epoch with its weights. */
  start(resumeFromCheckpoint?: boolean): void;
  pause(): void;
  resume(): void;
  stop(): void;
  reset(): void;
  /** The worker died: the run ends in an error, the last good weights stay. */
  crashed(reason: string): void;
  setSample(index: number): void;
}

/** The dataset id the worker holds a copy of ('' after a crash: the next run sends it again). */
let workerDatasetId = '';

export const useTraining = create<TrainingState>((set, get) => ({
  settings: DEFAULT_SETTINGS,
  ...INITIAL_RUN,
  activations: null,
  learned: null,
  sampleIndex: 0,
  seriesVersion: 0,
  setSettings: (s) => set((st) => ({ settings: { ...st.settings, ...s } })),
  patch: (p) => set(p),

  receive: (m) => {
    const s = get();
    if (m.type === 'activations') {
      set({ activations: m.maps });
      return;
    }
    if (m.type === 'insight') {
      const step = s.base ? (s.lastBatch ? globalStep(s.base, s.lastBatch) : s.base.step) : 0;
      const history = [...(s.learned?.history ?? []), { step, norms: m.insight.norms }];
      set({
        learned: { history: history.slice(-MAX_NORM_READS), kernel: m.insight.firstKernel },
      });
      return;
    }
    if (m.type === 'batch' && s.base) {
      batchSeries.push(globalStep(s.base, m.end), m.end.loss, m.end.accuracy);
      set({ seriesVersion: s.seriesVersion + 1 });
    }
    const next = reduceRun(s, m, performance.now());
    if (next) set(next);
    if (m.type === 'error') {
      const ui = useUi.getState();
      ui.setAppError(m.message);
      if (m.kind === 'unavailable') ui.setWebGpu({ state: 'unavailable', message: m.message });
    }
  },

  start: (resumeFromCheckpoint = false) => {
    const model = useModel.getState();
    const ds = useDataset.getState();
    const ui = useUi.getState();
    const t = get();
    if (!model.built || !ds.dataset) return;
    if (ui.webgpu.state === 'unavailable') {
      set({ status: 'error', statusDetail: ui.webgpu.message });
      return;
    }
    ui.setAppError(null);
    const cont = resumeFromCheckpoint && t.weights !== null && t.weightsCode === model.appliedCode;
    if (!cont) batchSeries.clear();
    const now = performance.now();
    const base = {
      epoch: cont ? t.checkpointEpoch : 0,
      step: cont ? t.checkpointStep : 0,
      code: model.appliedCode,
      startedAt: now,
      epochStartedAt: now,
    };
    set({
      ...(cont
        ? {}
        : {
            epochs: [],
            callbackEvents: [],
            evaluation: null,
            checkpointEpoch: 0,
            checkpointStep: 0,
            learned: null,
          }),
      status: 'running',
      statusDetail: 'starting…',
      runNotes: [],
      base,
      lastBatch: null,
      latestFrom: cont ? 'epoch' : null,
      evalSeconds: null,
      evalStartedAt: null,
      seriesVersion: t.seriesVersion + 1,
    });
    const data = workerDatasetId === ds.id ? null : datasetPayload(ds.dataset, ds.id, subsetLimit());
    workerDatasetId = ds.id;
    const sample = sampleImage(ds.dataset, t.sampleIndex);
    send(
      {
        type: 'train',
        model: model.built,
        config: trainingConfig(t.settings, model.codeTraining),
        dataset: data?.payload ?? null,
        datasetId: ds.id,
        inputAdapt: ds.inputAdapt,
        seed: 42,
        weights: cont ? t.weights : null,
        epochs: t.settings.epochs - base.epoch,
        sample,
      },
      [...(data?.transfer ?? []), sample.buffer],
    );
  },
  pause: () => send({ type: 'pause' }),
  resume: () => send({ type: 'resume' }),
  stop: () => send({ type: 'stop' }),
  reset: () => {
    const { status } = get();
    if (workerAlive() && (status === 'running' || status === 'paused')) send({ type: 'stop' });
    batchSeries.clear();
    set((s) => ({ ...INITIAL_RUN, learned: null, seriesVersion: s.seriesVersion + 1 }));
  },
  crashed: (reason) => {
    workerDatasetId = '';
    const t = get();
    if (t.status === 'running' || t.status === 'paused') {
      set({ status: 'error', statusDetail: `The training worker crashed (${reason}).` });
    }
    useUi
      .getState()
      .setAppError(
        `The training worker crashed: ${reason}. ${t.weights ? 'The weights of the last good epoch are kept; ' : ''}press Start to train again.`,
      );
  },
  setSample: (index) => {
    set({ sampleIndex: index });
    const d = useDataset.getState().dataset;
    const { status } = get();
    if (!d || !workerAlive()) return;
    if (status === 'running' || status === 'paused') {
      const image = sampleImage(d, index);
      send({ type: 'sample', image }, [image.buffer]);
    } else void refreshMaps();
  },
}));

/** The Keras compile/fit arguments of the current settings and code. */
export const currentTrainingConfig = () =>
  trainingConfig(useTraining.getState().settings, useModel.getState().codeTraining);

// Start-up: code from the URL or IndexedDB (else the paper LeNet-5), saved settings and the last run, the
// worker, the built-in MNIST; then keep saving as things change.
import type { TrainingConfig } from '../model';
import { DEFAULT_PRESET } from '../model/code-presets';
import { useDataset } from '../store/dataset';
import { useModel } from '../store/model';
import { restore, type SavedRun, saveCode, saveRun, saveSettings } from '../store/persist';
import { refreshMaps } from '../store/predict';
import { keepRuns } from '../store/record-run';
import { debouncedSave, useSaving } from '../store/saving';
import { batchSeries } from '../store/series';
import { useTraining } from '../store/training';
import { useUi } from '../store/ui';
import { codeFromHash, hashForCode } from '../store/url';
import { initWorker } from '../store/worker-link';
import { loadBuiltInMnist } from './data/load';

function settingsFromCode(t: Partial<TrainingConfig>): void {
  const s: Parameters<ReturnType<typeof useTraining.getState>['setSettings']>[0] = {};
  if (t.optimizer) {
    s.optimizer = t.optimizer.name;
    s.learningRate = t.optimizer.learning_rate;
  }
  if (t.batch_size) s.batchSize = t.batch_size;
  if (t.epochs) s.epochs = t.epochs;
  if (t.validation_split !== undefined) s.validationSplit = t.validation_split;
  useTraining.getState().setSettings(s);
}

export function currentRun(): SavedRun | null {
  const t = useTraining.getState();
  if (t.epochs.length === 0 && t.weights === null && batchSeries.length === 0) return null;
  return {
    weights: t.weights,
    weightsCode: t.weightsCode,
    epochs: t.epochs,
    series: batchSeries.snapshot(),
    checkpointEpoch: t.checkpointEpoch,
    checkpointStep: t.checkpointStep,
    totalEpochs: t.settings.epochs,
    finished: t.status === 'done',
    evaluation: t.evaluation,
  };
}

export async function boot(): Promise<void> {
  const ui = useUi.getState();
  // MNIST first: its files are already downloading (index.html preloads them); the worker's module graph and
  // WebGPU start-up come after, so they do not hold up the data.
  const mnist = loadBuiltInMnist();
  initWorker();
  keepRuns();
  const restored = await restore().catch(() => ({
    code: null,
    settings: null,
    run: null,
    discarded: ['saved state'],
  }));
  if (restored.discarded.length > 0) {
    ui.setNotice(`Discarded ${restored.discarded.join(', ')}: the saved entry was unreadable or corrupted.`);
  }
  const fromUrl = codeFromHash(location.hash);
  const code = fromUrl ?? restored.code ?? DEFAULT_PRESET.code;
  const model = useModel.getState();
  if (!model.apply(code) && code !== DEFAULT_PRESET.code) {
    // Show a diagram anyway, and leave the person's code with its error in the editor.
    model.apply(DEFAULT_PRESET.code);
    model.apply(code);
  }
  if (restored.settings) {
    const { inputAdapt, ...settings } = restored.settings;
    useTraining.getState().setSettings(settings);
    useDataset.getState().setInputAdapt(inputAdapt);
  } else {
    settingsFromCode(useModel.getState().codeTraining);
  }
  const run = restored.run;
  if (run) {
    useSaving.getState().setRun({
      epochs: run.epochs.length,
      checkpointEpoch: run.checkpointEpoch,
      finished: run.finished,
    });
    batchSeries.restore(run.series);
    const interrupted = !run.finished && run.checkpointEpoch > 0;
    useTraining.getState().patch({
      epochs: run.epochs,
      weights: run.weights,
      weightsCode: run.weightsCode,
      checkpointEpoch: run.checkpointEpoch,
      checkpointStep: run.checkpointStep,
      evaluation: run.evaluation,
      status: run.finished ? 'done' : 'idle',
      statusDetail: interrupted
        ? `Restored: the last run stopped after epoch ${run.checkpointEpoch}.`
        : 'restored',
    });
  }

  // Keep things saved from here on.
  let revision = useModel.getState().revision;
  useModel.subscribe((s, prev) => {
    if (s.code !== prev.code) saveCodeSoon();
    if (s.revision !== revision) {
      revision = s.revision;
      settingsFromCode(s.codeTraining);
      history.replaceState(null, '', `${location.pathname}${location.search}${hashForCode(s.appliedCode)}`);
    }
  });
  const saveCodeSoon = debouncedSave(() => saveCode(useModel.getState().code), 400);
  const saveSettingsSoon = debouncedSave(
    () =>
      saveSettings({
        ...useTraining.getState().settings,
        inputAdapt: useDataset.getState().inputAdapt,
      }),
    300,
  );
  useTraining.subscribe((s, prev) => {
    if (s.settings !== prev.settings) saveSettingsSoon();
    if (
      s.weights !== prev.weights ||
      s.epochs !== prev.epochs ||
      s.status !== prev.status ||
      s.evaluation !== prev.evaluation
    ) {
      saveRunSoon();
    }
  });
  useDataset.subscribe((s, prev) => {
    if (s.inputAdapt !== prev.inputAdapt) saveSettingsSoon();
  });
  const saveRunSoon = debouncedSave(
    async () => {
      const run = currentRun();
      await saveRun(run);
      useSaving
        .getState()
        .setRun(
          run && { epochs: run.epochs.length, checkpointEpoch: run.checkpointEpoch, finished: run.finished },
        );
    },
    300,
    (e) => ui.setNotice(`Could not save the training run: ${e instanceof Error ? e.message : e}`),
  );
  if (fromUrl) void saveCode(code).catch(() => {});
  history.replaceState(
    null,
    '',
    `${location.pathname}${location.search}${hashForCode(useModel.getState().appliedCode || code)}`,
  );
  await mnist;
  // Restored weights: show the chosen sample's feature maps again (when the worker is ready first).
  void refreshMaps();
}

// Training settings, the start/pause/resume/stop/reset controls, status, progress and the latest metrics.

import { useShallow } from 'zustand/react/shallow';
import type { OptimizerName } from '../../model';
import { defaultOptimizer } from '../../model';
import { useDataset } from '../../store/dataset';
import { useModel } from '../../store/model';
import { subsetLimit } from '../../store/run-config';
import { selectCanContinue, selectLatest, selectProgress } from '../../store/selectors';
import { useTraining } from '../../store/training';
import { useUi } from '../../store/ui';
import { useAccuracyName } from '../common/metrics';
import { formatDuration, formatMetric } from './format';

interface NumberSpec {
  id: string;
  setting: 'learningRate' | 'batchSize' | 'epochs' | 'validationSplit';
  label: string;
  min: number;
  max?: number;
  step: number | 'any';
}

/** The numeric settings: the learning rate must stay above 0, counts are whole numbers (step 1). */
const NUMBER_FIELDS: NumberSpec[] = [
  { id: 'learning-rate', setting: 'learningRate', label: 'Learning rate', min: 0, step: 'any' },
  { id: 'batch-size', setting: 'batchSize', label: 'Batch size', min: 1, max: 4096, step: 1 },
  { id: 'epochs', setting: 'epochs', label: 'Epochs', min: 1, max: 1000, step: 1 },
  {
    id: 'validation-split',
    setting: 'validationSplit',
    label: 'Validation split',
    min: 0,
    max: 0.9,
    step: 0.05,
  },
];

function NumberField(
  props: Omit<NumberSpec, 'setting'> & { value: number; disabled: boolean; onChange(v: number): void },
) {
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        data-testid={props.id}
        type="number"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (Number.isFinite(v) && v >= props.min && (props.max === undefined || v <= props.max))
            props.onChange(v);
        }}
      />
    </>
  );
}

export function TrainingPanel() {
  const settings = useTraining((s) => s.settings);
  const status = useTraining((s) => s.status);
  const detail = useTraining((s) => s.statusDetail);
  const notes = useTraining((s) => s.runNotes);
  const progress = useTraining(useShallow(selectProgress));
  const latest = useTraining(useShallow(selectLatest));
  const canContinue = useTraining(selectCanContinue);
  const checkpointEpoch = useTraining((s) => s.checkpointEpoch);
  const hasWeights = useTraining((s) => s.weights !== null);
  // Weights loaded from a .keras/.h5 file and not trained here yet: Start fine-tunes them.
  const loaded = useTraining(
    (s) =>
      s.status === 'idle' &&
      s.checkpointEpoch === 0 &&
      s.weights !== null &&
      s.weightsCode === useModel.getState().appliedCode,
  );
  const built = useModel((s) => s.built);
  const dataset = useDataset((s) => s.dataset);
  const webgpu = useUi((s) => s.webgpu);
  const { setSettings: set, start, pause, resume, stop, reset } = useTraining.getState();
  const busy = status === 'running' || status === 'paused';
  const canStart = !busy && built !== null && dataset !== null && webgpu.state === 'ready';
  const subset = subsetLimit();
  const accuracyName = useAccuracyName();

  return (
    <section className="card" aria-labelledby="training-title">
      <div className="card-head">
        <h2 id="training-title">Training</h2>
      </div>
      <div className="fields">
        <label htmlFor="optimizer">Optimizer</label>
        <select
          id="optimizer"
          data-testid="optimizer"
          value={settings.optimizer}
          disabled={busy}
          onChange={(e) => {
            const name = e.target.value as OptimizerName;
            set({ optimizer: name, learningRate: defaultOptimizer(name).learning_rate });
          }}
        >
          <option value="adam">Adam</option>
          <option value="sgd">SGD</option>
          <option value="rmsprop">RMSprop</option>
        </select>
        {NUMBER_FIELDS.map((f) => (
          <NumberField
            key={f.id}
            {...f}
            value={settings[f.setting]}
            disabled={busy}
            onChange={(v) => {
              const x = f.step === 1 ? Math.round(v) : v;
              if (f.setting !== 'learningRate' || x > 0) set({ [f.setting]: x });
            }}
          />
        ))}
      </div>
      {subset && (
        <div className="small muted" style={{ marginTop: 6 }}>
          Using the first {subset} samples (?subset={subset}).
        </div>
      )}
      <div className="controls">
        <button
          type="button"
          className="btn primary"
          data-testid="train-start"
          data-checkpoint-epoch={hasWeights ? checkpointEpoch : 0}
          disabled={!canStart}
          onClick={() => start(canContinue || loaded)}
        >
          {canContinue
            ? `Continue from epoch ${checkpointEpoch + 1}`
            : loaded
              ? 'Fine-tune loaded weights'
              : status === 'done'
                ? 'Train again'
                : 'Start'}
        </button>
        {status === 'paused' ? (
          <button type="button" className="btn" data-testid="train-pause" onClick={resume}>
            Resume
          </button>
        ) : (
          <button
            type="button"
            className="btn"
            data-testid="train-pause"
            disabled={status !== 'running'}
            onClick={pause}
          >
            Pause
          </button>
        )}
        <button type="button" className="btn" data-testid="train-stop" disabled={!busy} onClick={stop}>
          Stop
        </button>
        <button type="button" className="btn" data-testid="train-reset" disabled={busy} onClick={reset}>
          Reset
        </button>
      </div>
      <div className="status-line">
        <span className={`status ${status}`} data-testid="train-status" aria-live="polite">
          {status}
        </span>
        {progress && (
          <span className="small muted">
            epoch {progress.epoch + 1}/{progress.epochs} · step {progress.batch}/{progress.batchesPerEpoch}
            {progress.etaSeconds !== null && status === 'running'
              ? ` · ${formatDuration(progress.etaSeconds)} left`
              : ''}
          </span>
        )}
      </div>
      {detail && <div className={`status-detail ${status === 'error' ? 'error' : ''}`}>{detail}</div>}
      {notes.length > 0 && (
        <ul className="status-detail run-notes" data-testid="run-notes">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <div
        className="progress"
        data-testid="train-progress"
        role="progressbar"
        aria-label="Training progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round((progress?.percent ?? 0) * 100) / 100}
        aria-valuetext={
          progress
            ? `epoch ${progress.epoch + 1} of ${progress.epochs}, batch ${progress.batch} of ${progress.batchesPerEpoch}`
            : undefined
        }
      >
        <div style={{ width: `${progress?.percent ?? 0}%` }} />
      </div>
      <div className="metrics">
        <Metric id="metric-loss" label="loss" value={latest.loss} />
        {accuracyName !== null && (
          <>
            <Metric id="metric-accuracy" label={accuracyName} value={latest.accuracy} />
            <Metric id="metric-val-accuracy" label={`val_${accuracyName}`} value={latest.valAccuracy} />
          </>
        )}
        {accuracyName === null && <Metric id="metric-val-loss" label="val_loss" value={latest.valLoss} />}
        <Metric id="metric-samples-per-sec" label="samples/s" value={latest.samplesPerSec} digits={0} />
      </div>
    </section>
  );
}

function Metric({
  id,
  label,
  value,
  digits = 4,
}: {
  id: string;
  label: string;
  value: number | null;
  digits?: number;
}) {
  return (
    <div className="metric">
      <div className="k">{label}</div>
      <div className="v" data-testid={id}>
        {formatMetric(value, digits)}
      </div>
    </div>
  );
}

// Keras 3's `model.fit(verbose=1)` progress output as text: `Epoch 1/5`, then
// `844/844 ━━━━━━━━━━━━━━━━━━━━ 12s 14ms/step - accuracy: 0.9012 - loss: 0.3221 - val_accuracy: … - val_loss: …`
// (the live line shows the time left instead of the epoch's time), and evaluate's line at the end. Pure, from
// the same store records the curves and the metrics panel read.
import type { CallbackEvent, EpochMetrics } from '../../train/types';

export const BAR_WIDTH = 20;
export const BAR_CHAR = '━';

/** `12/844`, the count padded to the width of the total as Keras does. */
export function counter(current: number, total: number): string {
  return `${String(current).padStart(String(total).length, ' ')}/${total}`;
}

/** How many of the bar's 20 characters are done (Keras: int(width * current / target)). */
export const barDone = (current: number, total: number) =>
  total > 0 ? Math.floor((BAR_WIDTH * Math.min(current, total)) / total) : 0;

/** Keras's metric value: `{:.4f}`, or `{:.4e}` (two-digit exponent) when |v| <= 1e-3, as its progress bar. */
export function kerasNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) > 1e-3 ? v.toFixed(4) : pythonExp(v.toExponential(4));
}

/** JavaScript's `1.2300e-5` as Python writes it: `1.2300e-05`. */
function pythonExp(s: string): string {
  return s.replace(/e([-+])(\d)$/, 'e$10$2');
}

/**
 * A learning rate as Keras's callbacks print it (Python's float repr of the float32 rate): `0.0001`, `1e-05`,
 * `0.01`; the float32's seven significant digits, so 0.001 * 0.1 prints as 0.0001.
 */
export function pythonFloat(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan';
  const x = Number(v.toPrecision(7));
  const exp = Number(x.toExponential().split('e')[1]);
  if (x !== 0 && (exp < -4 || exp >= 16)) return pythonExp(x.toExponential());
  const t = String(x);
  return t.includes('.') ? t : `${t}.0`;
}

/** Keras's time per step: `14ms/step`, `2s/step`, `350us/step`. */
export function perStep(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return `${Math.round(seconds)}s/step`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1000)}ms/step`;
  return `${Math.round(seconds * 1e6)}us/step`;
}

/** Keras's time left: `42s`, `3:07`, `1:02:03`. */
export function eta(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  if (s > 3600) return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  if (s > 60) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${s}s`;
}

export interface LogLine {
  /** Stable within a log (React keys). */
  id: string;
  text: string;
  /** For progress lines: where the bar starts in `text` and how many of its characters are done. */
  bar?: { at: number; done: number };
}

function progressLine(id: string, current: number, total: number, time: string, metrics: Metric[]): LogLine {
  const head = `${counter(current, total)} `;
  const tail = metrics
    .filter((m): m is [string, number] => m[1] !== null && m[1] !== undefined)
    .map(([k, v]) => ` - ${k}: ${kerasNumber(v)}`)
    .join('');
  return {
    id,
    text: `${head}${BAR_CHAR.repeat(BAR_WIDTH)} ${time}${tail}`,
    bar: { at: head.length, done: barDone(current, total) },
  };
}

export type Metric = [string, number | null | undefined];

/**
 * Keras's logs in its order: the accuracy under the name metrics= gave it (left out when `accuracyName` is
 * null: the model reports only the loss), the loss, then their val_ twins.
 */
function kerasMetrics(
  accuracyName: string | null,
  m: { accuracy: number; loss: number; val_accuracy?: number | null; val_loss?: number | null },
): Metric[] {
  const acc = (prefix: string, v: number | null | undefined): Metric[] =>
    accuracyName === null ? [] : [[`${prefix}${accuracyName}`, v]];
  return [...acc('', m.accuracy), ['loss', m.loss], ...acc('val_', m.val_accuracy), ['val_loss', m.val_loss]];
}

/** Time and metrics of a finished pass over `steps` batches (an epoch, or evaluate). */
function finishedLine(id: string, steps: number, seconds: number, metrics: Metric[]): LogLine {
  const per = seconds / Math.max(1, steps);
  return progressLine(id, steps, steps, `${Math.round(seconds)}s ${perStep(per)}`, metrics);
}

/** An epoch's Keras logs, named as metrics= names them; learning_rate is undefined when it is not logged. */
export function epochMetrics(e: EpochMetrics, accuracyName: string | null): Metric[] {
  return [...kerasMetrics(accuracyName, e), ['learning_rate', e.learning_rate]];
}

/** An epoch's finished line, as Keras prints it once the epoch (and its validation) is done. */
export function epochLine(e: EpochMetrics, accuracyName: string | null = 'accuracy'): LogLine {
  return finishedLine(`e${e.epoch}`, e.batchesPerEpoch, e.seconds, epochMetrics(e, accuracyName));
}

export interface LiveBatch {
  /** 0-based over the run. */
  epoch: number;
  /** Batches done in this epoch (1-based). */
  batch: number;
  batchesPerEpoch: number;
  loss: number;
  accuracy: number;
  /** Seconds since the epoch started. */
  elapsed: number;
}

/** The line Keras keeps rewriting while an epoch runs: batches done, time left, the latest metrics. */
export function liveLine(b: LiveBatch, accuracyName: string | null = 'accuracy'): LogLine {
  const per = b.batch > 0 ? b.elapsed / b.batch : 0;
  const left = `${eta(per * (b.batchesPerEpoch - b.batch))} ${perStep(per)}`;
  return progressLine('live', b.batch, b.batchesPerEpoch, left, kerasMetrics(accuracyName, b));
}

export interface EvalLine {
  loss: number;
  accuracy: number;
  count: number;
  batchSize: number;
  seconds: number | null;
}

/** `model.evaluate(x_test, y_test)`'s line. */
export function evaluateLine(e: EvalLine, accuracyName: string | null = 'accuracy'): LogLine {
  const steps = Math.max(1, Math.ceil(e.count / Math.max(1, e.batchSize)));
  return finishedLine('evaluate', steps, e.seconds ?? 0, kerasMetrics(accuracyName, e));
}

/** What a Keras callback prints (verbose=1), with the epoch 1-based as Keras prints it. */
export function callbackLine(e: CallbackEvent): string[] {
  const n = e.epoch + 1;
  switch (e.kind) {
    case 'LearningRateScheduler':
      return [`Epoch ${n}: LearningRateScheduler setting learning rate to ${pythonFloat(e.learningRate)}.`];
    case 'ReduceLROnPlateau':
      return [`Epoch ${n}: ReduceLROnPlateau reducing learning rate to ${pythonFloat(e.learningRate)}.`];
    case 'EarlyStopping':
      return [
        `Epoch ${n}: early stopping`,
        ...(e.restored
          ? [`Restoring model weights from the end of the best epoch: ${e.bestEpoch + 1}.`]
          : []),
      ];
  }
}

export interface FitLogInput {
  epochs: EpochMetrics[];
  totalEpochs: number;
  live: LiveBatch | null;
  evaluation: EvalLine | null;
  /** The accuracy's Keras name (null: the model reports only the loss); default 'accuracy'. */
  accuracyName?: string | null;
  /** What the Keras callbacks did, epochs on the run's axis. */
  callbacks?: CallbackEvent[];
}

/**
 * The whole log: every finished epoch, the live line of the running one, what the callbacks printed where Keras
 * prints it (a scheduler before its epoch's header, ReduceLROnPlateau after the epoch's line, EarlyStopping at
 * the end of fit), evaluate's line last.
 */
export function fitLog(input: FitLogInput): LogLine[] {
  const out: LogLine[] = [];
  const acc = input.accuracyName === undefined ? 'accuracy' : input.accuracyName;
  const events = input.callbacks ?? [];
  const said = (kind: CallbackEvent['kind'], epoch: number | null) => {
    for (const [i, e] of events.entries()) {
      if (e.kind !== kind || (epoch !== null && e.epoch !== epoch)) continue;
      callbackLine(e).forEach((text, j) => {
        out.push({ id: `cb${i}.${j}`, text });
      });
    }
  };
  const done = [...input.epochs].sort((a, b) => a.epoch - b.epoch);
  const total = Math.max(input.totalEpochs, ...done.map((e) => e.epoch + 1));
  for (const e of done) {
    said('LearningRateScheduler', e.epoch);
    out.push({ id: `h${e.epoch}`, text: `Epoch ${e.epoch + 1}/${total}` }, epochLine(e, acc));
    said('ReduceLROnPlateau', e.epoch);
  }
  const live = input.live;
  if (live && !done.some((e) => e.epoch === live.epoch)) {
    said('LearningRateScheduler', live.epoch);
    out.push({ id: 'live-head', text: `Epoch ${live.epoch + 1}/${total}` }, liveLine(live, acc));
  }
  said('EarlyStopping', null);
  if (input.evaluation) out.push(evaluateLine(input.evaluation, acc));
  return out;
}

export const logText = (lines: LogLine[]) => `${lines.map((l) => l.text).join('\n')}\n`;

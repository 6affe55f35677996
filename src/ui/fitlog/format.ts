// Keras 3's `model.fit(verbose=1)` progress output as text: `Epoch 1/5`, then
// `844/844 ━━━━━━━━━━━━━━━━━━━━ 12s 14ms/step - accuracy: 0.9012 - loss: 0.3221 - val_accuracy: … - val_loss: …`
// (the live line shows the time left instead of the epoch's time), and evaluate's line at the end. Pure, from
// the same store records the curves and the metrics panel read.
import type { EpochMetrics } from '../../train/types';

export const BAR_WIDTH = 20;
export const BAR_CHAR = '━';

/** `12/844`, the count padded to the width of the total as Keras does. */
export function counter(current: number, total: number): string {
  return `${String(current).padStart(String(total).length, ' ')}/${total}`;
}

/** How many of the bar's 20 characters are done (Keras: int(width * current / target)). */
export const barDone = (current: number, total: number) =>
  total > 0 ? Math.floor((BAR_WIDTH * Math.min(current, total)) / total) : 0;

/** Keras's metric value: 4 decimals, or scientific notation below 1e-3. */
export function kerasNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) > 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4);
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

function progressLine(
  id: string,
  current: number,
  total: number,
  time: string,
  metrics: [string, number | null][],
): LogLine {
  const head = `${counter(current, total)} `;
  const tail = metrics
    .filter((m): m is [string, number] => m[1] !== null)
    .map(([k, v]) => ` - ${k}: ${kerasNumber(v)}`)
    .join('');
  return {
    id,
    text: `${head}${BAR_CHAR.repeat(BAR_WIDTH)} ${time}${tail}`,
    bar: { at: head.length, done: barDone(current, total) },
  };
}

/** An epoch's finished line, as Keras prints it once the epoch (and its validation) is done. */
export function epochLine(e: EpochMetrics): LogLine {
  const steps = Math.max(1, e.batchesPerEpoch);
  return progressLine(
    `e${e.epoch}`,
    e.batchesPerEpoch,
    e.batchesPerEpoch,
    `${Math.round(e.seconds)}s ${perStep(e.seconds / steps)}`,
    [
      ['accuracy', e.accuracy],
      ['loss', e.loss],
      ['val_accuracy', e.val_accuracy],
      ['val_loss', e.val_loss],
    ],
  );
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
export function liveLine(b: LiveBatch): LogLine {
  const per = b.batch > 0 ? b.elapsed / b.batch : 0;
  return progressLine(
    'live',
    b.batch,
    b.batchesPerEpoch,
    `${eta(per * (b.batchesPerEpoch - b.batch))} ${perStep(per)}`,
    [
      ['accuracy', b.accuracy],
      ['loss', b.loss],
    ],
  );
}

export interface EvalLine {
  loss: number;
  accuracy: number;
  count: number;
  batchSize: number;
  seconds: number | null;
}

/** `model.evaluate(x_test, y_test)`'s line. */
export function evaluateLine(e: EvalLine): LogLine {
  const steps = Math.max(1, Math.ceil(e.count / Math.max(1, e.batchSize)));
  const s = e.seconds ?? 0;
  return progressLine('evaluate', steps, steps, `${Math.round(s)}s ${perStep(s / steps)}`, [
    ['accuracy', e.accuracy],
    ['loss', e.loss],
  ]);
}

export interface FitLogInput {
  epochs: EpochMetrics[];
  totalEpochs: number;
  live: LiveBatch | null;
  evaluation: EvalLine | null;
}

/** The whole log: every finished epoch, the live line of the running one, evaluate's line at the end. */
export function fitLog(input: FitLogInput): LogLine[] {
  const out: LogLine[] = [];
  const done = [...input.epochs].sort((a, b) => a.epoch - b.epoch);
  const total = Math.max(input.totalEpochs, ...done.map((e) => e.epoch + 1));
  for (const e of done) {
    out.push({ id: `h${e.epoch}`, text: `Epoch ${e.epoch + 1}/${total}` }, epochLine(e));
  }
  const live = input.live;
  if (live && !done.some((e) => e.epoch === live.epoch)) {
    out.push({ id: 'live-head', text: `Epoch ${live.epoch + 1}/${total}` }, liveLine(live));
  }
  if (input.evaluation) out.push(evaluateLine(input.evaluation));
  return out;
}

export const logText = (lines: LogLine[]) => `${lines.map((l) => l.text).join('\n')}\n`;

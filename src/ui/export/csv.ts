// Training history as CSV, the columns of Keras's CSVLogger (epoch, then the logs' keys sorted, named as
// metrics= names them), plus Paperweight's throughput columns at the end.
import type { EpochMetrics } from '../../train/types';

const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** An epoch's Keras logs: loss, the accuracy under `accuracyName` (none for metrics=[]), val_ twins, learning_rate. */
function logsOf(e: EpochMetrics, accuracyName: string | null): Record<string, number | null | undefined> {
  const logs: Record<string, number | null | undefined> = { loss: e.loss, val_loss: e.val_loss };
  if (accuracyName) {
    logs[accuracyName] = e.accuracy;
    logs[`val_${accuracyName}`] = e.val_accuracy;
  }
  if (e.learning_rate !== undefined) logs.learning_rate = e.learning_rate;
  return logs;
}

/** `accuracyName`: the accuracy's name as metrics= gives it ('accuracy', 'acc', ...), or null without one. */
export function historyCsv(epochs: EpochMetrics[], accuracyName: string | null = 'accuracy'): string {
  const sorted = [...epochs].sort((a, b) => a.epoch - b.epoch);
  const logs = sorted.map((e) => logsOf(e, accuracyName));
  const keys = [...new Set(logs.flatMap((l) => Object.keys(l)))].sort();
  const head = ['epoch', ...keys, 'samples_per_sec', 'seconds'].join(',');
  const rows = sorted.map((e, i) =>
    [e.epoch, ...keys.map((k) => logs[i][k]), e.samplesPerSec, e.seconds].map(cell).join(','),
  );
  return `${[head, ...rows].join('\n')}\n`;
}

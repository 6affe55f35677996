// Training history as CSV, the columns of Keras's CSVLogger (epoch, then the logs' keys sorted, named as
// metrics= names them: the fit log's epochMetrics), plus Paperweight's throughput columns at the end.
import type { EpochMetrics } from '../../train/types';
import { epochMetrics } from '../fitlog/format';

const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** `accuracyName`: the accuracy's name as metrics= gives it ('accuracy', 'acc', ...), or null without one. */
export function historyCsv(epochs: EpochMetrics[], accuracyName: string | null = 'accuracy'): string {
  const sorted = [...epochs].sort((a, b) => a.epoch - b.epoch);
  const logs = sorted.map((e) => new Map(epochMetrics(e, accuracyName)));
  // A log no epoch has (learning_rate when no callback changes it) is no column.
  const keys = [
    ...new Set(logs.flatMap((l) => [...l].filter(([, v]) => v !== undefined).map(([k]) => k))),
  ].sort();
  const head = ['epoch', ...keys, 'samples_per_sec', 'seconds'].join(',');
  const rows = sorted.map((e, i) =>
    [e.epoch, ...keys.map((k) => logs[i].get(k)), e.samplesPerSec, e.seconds].map(cell).join(','),
  );
  return `${[head, ...rows].join('\n')}\n`;
}

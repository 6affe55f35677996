// Training history as CSV, the columns of Keras's CSVLogger (epoch, then the logs), plus throughput.
import type { EpochMetrics } from '../../train/types';

const cell = (v: number | null) => (v === null || v === undefined ? '' : String(v));

export function historyCsv(epochs: EpochMetrics[]): string {
  const head = 'epoch,accuracy,loss,val_accuracy,val_loss,samples_per_sec,seconds';
  const rows = [...epochs]
    .sort((a, b) => a.epoch - b.epoch)
    .map((e) =>
      [e.epoch, e.accuracy, e.loss, e.val_accuracy, e.val_loss, e.samplesPerSec, e.seconds]
        .map(cell)
        .join(','),
    );
  return `${[head, ...rows].join('\n')}\n`;
}

// model.summary() as Keras 3 prints it: rows of (name (type), output shape with None batch, params).
import type { BuiltModel } from './sequential';

export interface SummaryRow {
  name: string;
  className: string;
  /** Keras's text, e.g. '(None, 28, 28, 6)'. */
  outputShape: string;
  params: number;
}

export interface Summary {
  modelName: string;
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

export function summarize(model: BuiltModel): Summary {
  const rows = model.layers.map((l) => ({
    name: l.layer.config.name,
    className: l.layer.className,
    outputShape: `(None, ${l.outputShape.join(', ')})`,
    params: l.paramCount,
  }));
  return {
    modelName: model.name,
    rows,
    totalParams: model.paramCount,
    trainableParams: model.paramCount,
    nonTrainableParams: 0,
  };
}

/** Keras's human byte sizes for float32 parameters: 51,902 -> '202.74 KB'. */
export function paramBytes(count: number): string {
  const bytes = count * 4;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(2)} ${units[u]}`;
}

export const groupDigits = (n: number) => n.toLocaleString('en-US');

/** The text table (Keras 3's box-drawing layout). */
export function summaryText(s: Summary): string {
  const widths = [33, 24, 15];
  const cells = (a: string, b: string, c: string) =>
    `│ ${a.padEnd(widths[0] - 2)} │ ${b.padEnd(widths[1] - 2)} │ ${c.padStart(widths[2] - 2)} │`;
  const line = (l: string, m: string, r: string, ch: string) =>
    l + widths.map((w) => ch.repeat(w)).join(m) + r;
  const out = [
    `Model: "${s.modelName}"`,
    line('┏', '┳', '┓', '━'),
    `┃ ${'Layer (type)'.padEnd(widths[0] - 2)} ┃ ${'Output Shape'.padEnd(widths[1] - 2)} ┃ ${'Param #'.padStart(widths[2] - 2)} ┃`,
    line('┡', '╇', '┩', '━'),
    ...s.rows.map((r) => cells(`${r.name} (${r.className})`, r.outputShape, groupDigits(r.params))),
    line('└', '┴', '┘', '─'),
    ` Total params: ${groupDigits(s.totalParams)} (${paramBytes(s.totalParams)})`,
    ` Trainable params: ${groupDigits(s.trainableParams)} (${paramBytes(s.trainableParams)})`,
    ` Non-trainable params: ${groupDigits(s.nonTrainableParams)} (${paramBytes(s.nonTrainableParams)})`,
  ];
  return out.join('\n');
}

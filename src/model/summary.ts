// model.summary() as Keras 3 prints it: rows of (name (type), output shape with None batch, params), and for
// functional models the input layer's row and the "Connected to" column (`conv2d[0][0], add[0][0]`).
import { isChain } from './functional';
import { kerasClassOf } from './registry';
import type { BuiltModel } from './sequential';

export interface SummaryRow {
  name: string;
  className: string;
  /** Keras's text, e.g. '(None, 28, 28, 6)'. */
  outputShape: string;
  params: number;
  /** Functional models that are not a chain: the inbound tensors as Keras writes them, '-' for the input. */
  connectedTo?: string;
}

export interface Summary {
  modelName: string;
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Whether Keras prints the "Connected to" column (functional models with branches or merges). */
  connected: boolean;
}

const shapeText = (s: readonly number[]) => `(None, ${s.join(', ')})`;

export function summarize(model: BuiltModel): Summary {
  const connected = model.functional === true && !isChain(model);
  const inputName = model.inputName ?? 'input_layer';
  const rows: SummaryRow[] = model.layers.map((l) => {
    const row: SummaryRow = {
      name: l.layer.config.name,
      className: kerasClassOf(l.layer),
      outputShape: shapeText(l.outputShape),
      params: l.paramCount,
    };
    if (connected) {
      // Each layer is called once, so every tensor is [node 0][tensor 0] of the layer that made it.
      row.connectedTo = l.inbound
        .map((j) => `${j === -1 ? inputName : model.layers[j].layer.config.name}[0][0]`)
        .join(', ');
    }
    return row;
  });
  if (model.functional) {
    // A functional model lists its InputLayer first, with no parameters.
    const input: SummaryRow = {
      name: inputName,
      className: 'InputLayer',
      outputShape: shapeText(model.inputShape),
      params: 0,
    };
    if (connected) input.connectedTo = '-';
    rows.unshift(input);
  }
  // BatchNormalization's moving statistics and Normalization's adapted ones count as Keras counts them.
  let nonTrainable = 0;
  for (const l of model.layers) {
    for (const p of l.params) if (p.trainable === false) nonTrainable += p.shape.reduce((a, b) => a * b, 1);
  }
  return {
    modelName: model.name,
    rows,
    totalParams: model.paramCount,
    trainableParams: model.paramCount - nonTrainable,
    nonTrainableParams: nonTrainable,
    connected,
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

/** Splits `text` into lines of at most `width` characters, breaking after ', ' or spaces where it can. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    const at = cut > 0 ? cut : width;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  out.push(rest);
  return out;
}

/**
 * The text table (Keras 3's box-drawing layout). Sequential-like models: three columns; functional models
 * with branches: four, 108 characters split at Keras's positions (0.3, 0.56, 0.74), with a rule between rows.
 */
export function summaryText(s: Summary): string {
  const widths = s.connected ? [32, 28, 19, 29] : [33, 24, 15];
  const right = [false, false, true, false];
  const line = (l: string, m: string, r: string, ch: string) =>
    l + widths.map((w) => ch.repeat(w)).join(m) + r;
  const row = (cells: string[], edge: string) => {
    const wrapped = cells.map((c, i) => wrap(c, widths[i] - 2));
    const height = Math.max(...wrapped.map((w) => w.length));
    const lines: string[] = [];
    for (let k = 0; k < height; k++) {
      const parts = wrapped.map((w, i) => {
        const t = w[k] ?? '';
        return ` ${right[i] ? t.padStart(widths[i] - 2) : t.padEnd(widths[i] - 2)} `;
      });
      lines.push(edge + parts.join(edge) + edge);
    }
    return lines.join('\n');
  };
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'].slice(0, widths.length);
  const body = s.rows.map((r) =>
    row(
      [`${r.name} (${r.className})`, r.outputShape, groupDigits(r.params), r.connectedTo ?? '-'].slice(
        0,
        widths.length,
      ),
      '│',
    ),
  );
  const out = [
    `Model: "${s.modelName}"`,
    line('┏', '┳', '┓', '━'),
    row(header, '┃'),
    line('┡', '╇', '┩', '━'),
    ...(s.connected ? [body.join(`\n${line('├', '┼', '┤', '─')}\n`)] : body),
    line('└', '┴', '┘', '─'),
    ` Total params: ${groupDigits(s.totalParams)} (${paramBytes(s.totalParams)})`,
    ` Trainable params: ${groupDigits(s.trainableParams)} (${paramBytes(s.trainableParams)})`,
    ` Non-trainable params: ${groupDigits(s.nonTrainableParams)} (${paramBytes(s.nonTrainableParams)})`,
  ];
  return out.join('\n');
}

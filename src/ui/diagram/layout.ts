// The network drawn as papers draw LeNet-5: every representation a block (a stack of feature-map squares
// scaled to their size, or a column for a vector), the operations named between blocks. Pure geometry so it
// can be tested without a DOM and exported as a standalone SVG.
import type { BuiltModel } from '../../model';

export interface DiagramBlock {
  kind: 'maps' | 'vector';
  /** Label lines, e.g. ['C1: feature maps', '6@28x28']; joined with a space they are the accessible label. */
  lines: string[];
  /** Layer whose output this block shows (null for the input). */
  layerName: string | null;
  /** Every layer drawn as this block or as an operation leading to it (Dropout, Flatten, Activation). */
  layers: string[];
  channels: number;
  height: number;
  width: number;
  units: number;
  /** Geometry in SVG units: the bounding box of the drawn stack/column. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Side of one feature-map square, and how many squares are drawn (at most MAX_MAPS). */
  side: number;
  drawn: number;
  /** Offset between successive squares of the stack. */
  step: number;
  /** Centre of the slot the block sits in (labels are centred on it). */
  cx: number;
}

export interface DiagramOp {
  lines: string[];
  /** Between block `from` and block `from + 1` (the last op may trail the last block). */
  from: number;
  cx: number;
}

export interface DiagramLayout {
  blocks: DiagramBlock[];
  ops: DiagramOp[];
  width: number;
  height: number;
  labelY: number;
  opY: number;
  centerY: number;
}

export const MAX_MAPS = 8;
/** Beyond this many blocks the middle of the network is summarised as one gap, so 10,000 layers stay quick. */
export const MAX_BLOCKS = 40;
const KEEP_HEAD = 26;
const KEEP_TAIL = 12;
const MAX_SIDE = 110;
const MIN_SIDE = 10;
const STACK_STEP = 6;
/** Width of a label character, and the margin around a drawing (SVG units). */
export const CHAR_W = 6.6;
export const MARGIN = 24;
const LABEL_LINES_H = 34;

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function activationName(a: string): string | null {
  switch (a) {
    case 'linear':
      return null;
    case 'relu':
      return 'ReLU';
    case 'tanh':
      return 'Tanh';
    case 'softmax':
      return 'Softmax';
    case 'leaky_relu':
      return 'Leaky ReLU';
    case 'elu':
      return 'ELU';
    default:
      return cap(a);
  }
}

interface Pending {
  kind: 'maps' | 'vector';
  prefix: string;
  shape: number[];
  layerName: string | null;
  layers: string[];
}

/** Blocks and the operations that lead to each, before geometry. */
function describe(model: BuiltModel): { blocks: Pending[]; opsBefore: string[][]; trailing: string[] } {
  const blocks: Pending[] = [];
  const opsBefore: string[][] = [];
  let ops: string[] = [];
  const inKind = model.inputShape.length === 3 ? 'maps' : 'vector';
  blocks.push({ kind: inKind, prefix: 'INPUT', shape: model.inputShape, layerName: null, layers: [] });
  opsBefore.push([]);
  let covered: string[] = [];
  const push = (prefix: string, shape: number[], layerName: string) => {
    const spatial = shape.length === 3 && !(shape[0] === 1 && shape[1] === 1);
    blocks.push({ kind: spatial ? 'maps' : 'vector', prefix, shape, layerName, layers: covered });
    opsBefore.push(ops);
    ops = [];
    covered = [];
  };
  const lastDense = model.layers.map((l) => l.layer.className).lastIndexOf('Dense');
  model.layers.forEach((b, i) => {
    const { layer } = b;
    covered.push(layer.config.name);
    switch (layer.className) {
      case 'Conv2D': {
        const [kh, kw] = layer.config.kernel_size;
        const s = layer.config.strides;
        ops.push(`Convolutions ${kh}x${kw}${s[0] > 1 || s[1] > 1 ? `, stride ${s[0]}` : ''}`);
        push('C', b.outputShape, layer.config.name);
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const [ph, pw] = layer.config.pool_size;
        ops.push(`${layer.className === 'MaxPooling2D' ? 'Max' : 'Average'}-pooling ${ph}x${pw}`);
        push('S', b.outputShape, layer.config.name);
        break;
      }
      case 'ZeroPadding2D':
        ops.push('Zero padding');
        push('P', b.outputShape, layer.config.name);
        break;
      case 'GlobalAveragePooling2D':
        ops.push('Global average pooling');
        push('G', b.outputShape, layer.config.name);
        break;
      case 'Dense': {
        ops.push('Full connection');
        const act = activationName(layer.config.activation);
        if (act === 'Softmax') ops.push('Softmax');
        push(
          i === lastDense && i >= model.layers.length - 2 ? 'OUTPUT' : 'F',
          b.outputShape,
          layer.config.name,
        );
        break;
      }
      case 'Dropout':
        ops.push(`Dropout ${layer.config.rate}`);
        break;
      case 'Activation': {
        const act = activationName(layer.config.activation);
        if (act) ops.push(act);
        break;
      }
      default:
        // Flatten (and InputLayer) change no values; the paper figure does not draw them.
        break;
    }
  });
  // Layers after the last block (a trailing Activation) belong to it.
  blocks[blocks.length - 1].layers.push(...covered);
  return { blocks, opsBefore, trailing: ops };
}

function labelLines(p: Pending, index: number, firstMaps: boolean): string[] {
  const [h, w, c] = p.shape;
  if (p.prefix === 'INPUT') {
    if (p.kind === 'maps') return ['INPUT', c === 1 ? `${h}x${w}` : `${c}@${h}x${w}`];
    return ['INPUT', `${p.shape.reduce((a, d) => a * d, 1)}`];
  }
  const units = p.shape.reduce((a, d) => a * d, 1);
  if (p.prefix === 'OUTPUT') return ['OUTPUT', `${units}`];
  const tag = `${p.prefix}${index}:`;
  if (p.kind === 'vector') return [`${tag} layer`, `${units}`];
  return [`${tag} ${firstMaps ? 'feature maps' : 'f. maps'}`, `${c}@${h}x${w}`];
}

export function layoutDiagram(model: BuiltModel): DiagramLayout {
  const { blocks: pending, opsBefore, trailing } = describe(model);
  const mapsHeights = pending.filter((p) => p.kind === 'maps').map((p) => Math.max(p.shape[0], p.shape[1]));
  const maxDim = Math.max(1, ...mapsHeights);
  const scale = MAX_SIDE / maxDim;
  const maxUnits = Math.max(1, ...pending.filter((p) => p.kind === 'vector').map((p) => units(p.shape)));

  let seenMaps = false;
  const labelled = pending.map((p, i) => {
    const firstMaps = p.kind === 'maps' && p.prefix !== 'INPUT' && !seenMaps;
    if (firstMaps) seenMaps = true;
    return { p, lines: labelLines(p, i, firstMaps), ops: opsBefore[i] };
  });
  let shown = labelled;
  if (labelled.length > MAX_BLOCKS) {
    const omitted = labelled.length - KEEP_HEAD - KEEP_TAIL;
    const tail = labelled.slice(labelled.length - KEEP_TAIL);
    tail[0] = { ...tail[0], ops: [`… ${omitted.toLocaleString('en-US')} more layers …`, ...tail[0].ops] };
    shown = [...labelled.slice(0, KEEP_HEAD), ...tail];
  }
  const sized = shown.map(({ p, lines, ops }) => {
    if (p.kind === 'maps') {
      const [h, w, c] = p.shape;
      const side = Math.max(MIN_SIDE, Math.round(Math.max(h, w) * scale));
      const drawn = Math.min(c, MAX_MAPS);
      const step = drawn > 1 ? Math.max(3, Math.min(STACK_STEP, Math.round(side / 4))) : 0;
      const size = side + (drawn - 1) * step;
      return { p, lines, ops, side, drawn, step, w: size, h: size };
    }
    // Columns: height grows with log(units) so 10 and 4096 units both read well.
    const u = units(p.shape);
    const h = Math.round(40 + 110 * (Math.log2(u + 1) / Math.log2(maxUnits + 1)));
    return { p, lines, ops, side: 0, drawn: 0, step: 0, w: 16, h };
  });

  const textW = (lines: string[]) => Math.max(0, ...lines.map((l) => l.length * CHAR_W));
  const maxH = Math.max(...sized.map((s) => s.h));
  const labelY = MARGIN;
  const top = labelY + LABEL_LINES_H;
  const centerY = top + maxH / 2;
  const opY = top + maxH + 22;

  const blocks: DiagramBlock[] = [];
  const ops: DiagramOp[] = [];
  let x = MARGIN;
  sized.forEach((s, i) => {
    if (i > 0) {
      const opLines = s.ops;
      const gap = Math.max(44, textW(opLines) + 14);
      ops.push({ lines: opLines, from: i - 1, cx: x + gap / 2 });
      x += gap;
    }
    const slot = Math.max(s.w, textW(s.lines));
    const cx = x + slot / 2;
    blocks.push({
      kind: s.p.kind,
      lines: s.lines,
      layerName: s.p.layerName,
      layers: s.p.layers,
      channels: s.p.kind === 'maps' ? s.p.shape[2] : 0,
      height: s.p.kind === 'maps' ? s.p.shape[0] : 1,
      width: s.p.kind === 'maps' ? s.p.shape[1] : 1,
      units: units(s.p.shape),
      x: cx - s.w / 2,
      y: centerY - s.h / 2,
      w: s.w,
      h: s.h,
      side: s.side,
      drawn: s.drawn,
      step: s.step,
      cx,
    });
    x += slot;
  });
  if (trailing.length > 0) {
    const gap = Math.max(44, textW(trailing) + 14);
    ops.push({ lines: trailing, from: sized.length - 1, cx: x + gap / 2 });
    x += gap;
  }
  const maxOpLines = Math.max(1, ...ops.map((o) => o.lines.length));
  return {
    blocks,
    ops,
    width: Math.ceil(x + MARGIN),
    height: Math.ceil(opY + maxOpLines * 14 + MARGIN / 2),
    labelY,
    opY,
    centerY,
  };
}

function units(shape: number[]): number {
  return shape.reduce((a, d) => a * d, 1);
}

// AlexNet as Krizhevsky et al. (2012) draw it in their Figure 2: the network split over two GPUs, every conv
// and dense layer drawn as two half-size streams (upper and lower), which exchange their maps only where the
// paper's layers take input from both halves (the third convolution and the fully-connected layers). The
// model is still the one Keras model of the summary: the streams are the paper's split of each layer.
// Pure geometry built on the chain layout (same slots and operations), tested without a DOM.
import type { BuiltModel } from '../../model';
import { CHAR_W, type DiagramBlock, type DiagramOp, layoutDiagram, MARGIN } from './layout';

export interface StreamBlock extends DiagramBlock {
  /** 1 upper, 2 lower; undefined for the input and the output, drawn once between the streams. */
  stream?: 1 | 2;
  /** Baseline of the first label line (upper stream and single blocks: above; lower stream: below). */
  labelY: number;
  /** The accessible label: the chain's label of the layer and which stream this is. */
  title: string;
  /** The part of the layer's output this stream shows: channels (maps) or units (vectors) [first, end). */
  part: [number, number] | null;
}

export interface StreamLink {
  from: StreamBlock;
  to: StreamBlock;
  /** From one stream into the other: the streams communicate here. */
  cross: boolean;
}

export interface TwoStreamLayout {
  blocks: StreamBlock[];
  links: StreamLink[];
  ops: DiagramOp[];
  /** The layers that take input from both streams (the paper's conv3 and dense layers). */
  crossAt: string[];
  caption: string[];
  /** Size of the drawing; the operations' and the caption's baselines. */
  width: number;
  height: number;
  opY: number;
  captionY: number;
}

/**
 * A label line's height; maps drawn at SHRINK of the chain's size (two stacks share the height of one); GAP
 * between the streams leaves room for the crossings, MIN_GAP between blocks.
 */
const [LINE, SHRINK, GAP, MIN_GAP] = [14, 0.62, 40, 40];

/** The layers whose input comes from both streams: the third convolution and every dense layer after it. */
function crossingLayers(model: BuiltModel): Set<string> {
  const convs = model.layers.filter((l) => l.layer.className === 'Conv2D').map((l) => l.layer.config.name);
  const dense = model.layers.filter((l) => l.layer.className === 'Dense').map((l) => l.layer.config.name);
  return new Set([...convs.slice(2, 3), ...dense]);
}

/** The layer's channels (maps) or units (vectors) split over the two streams, the upper one taking the odd one. */
function halves(b: DiagramBlock): [number, number] {
  const n = b.kind === 'maps' ? b.channels : b.units;
  return [Math.ceil(n / 2), Math.floor(n / 2)];
}

const words = (line: string) => line.split(' ');

function halfLabel(b: DiagramBlock, n: number): string {
  return b.kind === 'maps' ? `${n}@${b.height}x${b.width}` : `${n}`;
}

export function layoutTwoStream(model: BuiltModel): TwoStreamLayout {
  const chain = layoutDiagram(model);
  const crossing = crossingLayers(model);
  const last = chain.blocks.length - 1;
  const single = (i: number) => i === 0 || (i === last && chain.blocks[i].kind === 'vector');
  // Sizes of one stream's block: half the maps (as a shorter stack), or a shorter column.
  const sized = chain.blocks.map((b, i) => {
    if (single(i)) return { side: b.side, drawn: b.drawn, w: b.w, h: b.h };
    if (b.kind === 'vector') return { side: 0, drawn: 0, w: b.w, h: Math.max(24, Math.round(b.h * 0.55)) };
    const side = Math.max(10, Math.round(b.side * SHRINK));
    const drawn = Math.max(1, Math.ceil(b.drawn / 2));
    const size = side + (drawn - 1) * b.step;
    return { side, drawn, w: size, h: size };
  });
  const rowH = Math.max(...sized.filter((_, i) => !single(i)).map((s) => s.h));
  const upperTop = MARGIN + 2 * LINE + 6;
  const upperC = upperTop + rowH / 2;
  const lowerC = upperC + rowH + GAP;
  const middle = (upperC + lowerC) / 2;
  const lowerLabelY = lowerC + rowH / 2 + LINE + 4;

  // Slots from left to right: the paper figure is compact, so labels are short (`C1` and the size) and the
  // operation between two blocks is written one word a line.
  const titles = chain.blocks.map((b, i) => (single(i) ? b.lines : [b.lines[0].split(':')[0], b.lines[1]]));
  const opLines = chain.blocks.map((_, i) =>
    i === 0 ? [] : (chain.ops.find((o) => o.from === i - 1)?.lines ?? []).flatMap(words),
  );
  const textW = (lines: string[]) => Math.max(0, ...lines.map((l) => l.length * CHAR_W));
  const ops: DiagramOp[] = [];
  const xs: number[] = [];
  let x = MARGIN;
  chain.blocks.forEach((b, i) => {
    if (i > 0) {
      const gap = Math.max(MIN_GAP, textW(opLines[i]) + 10);
      ops.push({ lines: opLines[i], from: i - 1, cx: x + gap / 2 });
      x += gap;
    }
    const slot = Math.max(sized[i].w, textW(titles[i]), textW(halves(b).map((n) => halfLabel(b, n))));
    xs.push(x + slot / 2);
    x += slot;
  });
  const trailing = chain.ops.find((o) => o.from === chain.blocks.length - 1);
  if (trailing) {
    const lines = trailing.lines.flatMap(words);
    const gap = Math.max(MIN_GAP, textW(lines) + 10);
    ops.push({ lines, from: chain.blocks.length - 1, cx: x + gap / 2 });
    x += gap;
  }
  const width = Math.ceil(x + MARGIN);

  const blocks: StreamBlock[] = [];
  const byIndex: StreamBlock[][] = [];
  chain.blocks.forEach((b, i) => {
    const s = sized[i];
    const cx = xs[i];
    if (single(i)) {
      const y = middle - s.h / 2;
      const title = b.lines.join(' ');
      const one: StreamBlock = { ...b, cx, x: cx - s.w / 2, y, labelY: y - LINE - 8, part: null, title };
      blocks.push(one);
      byIndex.push([one]);
      return;
    }
    const [upper, lower] = halves(b);
    const parts: [number, number][] = [
      [0, upper],
      [upper, upper + lower],
    ];
    const pair = ([1, 2] as const).map((stream) => {
      const c = stream === 1 ? upperC : lowerC;
      const [a, z] = parts[stream - 1];
      const size = halfLabel(b, z - a);
      const block: StreamBlock = {
        ...b,
        ...s,
        cx,
        x: cx - s.w / 2,
        y: c - s.h / 2,
        lines: stream === 1 ? [titles[i][0], size] : [size],
        title: `${b.lines[0]} ${size} (${stream === 1 ? 'upper' : 'lower'} stream)`,
        stream,
        labelY: stream === 1 ? MARGIN : lowerLabelY,
        part: [a, z],
      };
      return block;
    });
    blocks.push(...pair);
    byIndex.push(pair);
  });

  const links: StreamLink[] = [];
  for (let i = 1; i < byIndex.length; i++) {
    const from = byIndex[i - 1];
    const to = byIndex[i];
    const both = to[0].layerName !== null && crossing.has(to[0].layerName);
    for (const a of from) {
      for (const b of to) {
        const cross = a.stream !== undefined && b.stream !== undefined && a.stream !== b.stream;
        if (!cross || both) links.push({ from: a, to: b, cross });
      }
    }
  }

  const opY = lowerLabelY + LINE + 18;
  const maxOpLines = Math.max(1, ...ops.map((o) => o.lines.length));
  const captionY = opY + maxOpLines * LINE + 12;
  const caption = [
    'Two streams as in Krizhevsky et al. (2012), Figure 2: the paper split each layer over two GPUs, half of its',
    'maps or units on each. The summary is the same single Keras model. The streams exchange data only where',
    'the arrows cross: at the third convolution and the dense layers.',
  ];
  return {
    blocks,
    links,
    ops,
    crossAt: [...crossing],
    caption,
    width,
    height: Math.ceil(captionY + caption.length * LINE + MARGIN / 2),
    opY,
    captionY,
  };
}

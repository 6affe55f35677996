// The blocks of the paper-style drawings: a stack of feature-map squares (live maps when training) or a vector
// column, its label, and the thin connector lines the LeNet-5 paper draws between blocks.
import type { ActivationMap } from '../../train/types';
import { channelDataUrl, range } from '../common/images';
import { LayerGroup, type LayerLink } from './LayerGroup';
import type { DiagramBlock, DiagramOp } from './layout';

export const INK = '#23211d';
export const INK2 = '#5b574f';
export const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';

export interface BlockImages {
  /** Data URLs of the drawn squares, back to front. */
  squares: (string | null)[];
  /** Gray levels 0..1 of the column cells. */
  cells: number[] | null;
}

/**
 * The block's squares (its first channels) or column cells from the layer's activation; `part` [first, end)
 * limits them to a stream's channels or units.
 */
export function imagesFor(
  b: DiagramBlock,
  act: ActivationMap | undefined,
  inputUrl: string | null,
  part: [number, number] | null = null,
): BlockImages {
  if (b.layerName === null) return { squares: Array(b.drawn).fill(inputUrl), cells: null };
  if (!act) return { squares: Array(b.drawn).fill(null), cells: null };
  const [lo, hi] = range(act.data);
  if (b.kind === 'maps' && act.shape.length === 3) {
    const [h, w, c] = act.shape;
    const first = part?.[0] ?? 0;
    return {
      squares: Array.from({ length: b.drawn }, (_, i) =>
        channelDataUrl(act.data, h, w, c, first + i, lo, hi),
      ),
      cells: null,
    };
  }
  const [start, end] = part ?? [0, act.data.length];
  const n = end - start;
  const bins = Math.min(n, 48);
  const cells: number[] = [];
  for (let i = 0; i < bins; i++) {
    const a = start + Math.floor((i * n) / bins);
    const z = Math.max(a + 1, start + Math.floor(((i + 1) * n) / bins));
    let s = 0;
    for (let j = a; j < z; j++) s += act.data[j];
    cells.push((s / (z - a) - lo) / (hi - lo || 1));
  }
  return { squares: [], cells };
}

/** A block: its label lines from `labelY` down, its stack of maps or its column. */
export function Block({
  b,
  images,
  labelY,
  link,
  stream,
  title = b.lines.join(' '),
}: {
  b: DiagramBlock;
  images: BlockImages;
  labelY: number;
  link: LayerLink;
  stream?: 1 | 2;
  /** The accessible label, when the drawn lines say less (a lower stream's lines are its size only). */
  title?: string;
}) {
  return (
    <LayerGroup layer={b.layerName} label={title} link={link} stream={stream}>
      <text x={b.cx} y={labelY} textAnchor="middle" fontSize={11.5} fill={INK} fontFamily={FONT}>
        {b.lines.map((l, i) => (
          <tspan key={l} x={b.cx} dy={i === 0 ? 0 : 14}>
            {i < b.lines.length - 1 ? `${l} ` : l}
          </tspan>
        ))}
      </text>
      {b.kind === 'maps' &&
        Array.from({ length: b.drawn }, (_, i) => {
          const x = b.x + i * b.step;
          const y = b.y + i * b.step;
          const url = images.squares[i];
          return (
            <g key={`${x},${y}`}>
              <rect
                x={x}
                y={y}
                width={b.side}
                height={b.side}
                fill="#fffefa"
                stroke={INK}
                strokeWidth={0.9}
              />
              {url && (
                <image
                  href={url}
                  x={x + 0.5}
                  y={y + 0.5}
                  width={b.side - 1}
                  height={b.side - 1}
                  preserveAspectRatio="none"
                  style={{ imageRendering: 'pixelated' }}
                />
              )}
            </g>
          );
        })}
      {b.kind === 'vector' && (
        <>
          {images.cells?.map((v, i) => {
            const ch = b.h / images.cells!.length;
            const y = b.y + i * ch;
            const g = Math.round(255 * (1 - Math.max(0, Math.min(1, v))));
            return <rect key={y} x={b.x} y={y} width={b.w} height={ch + 0.3} fill={`rgb(${g},${g},${g})`} />;
          })}
          <rect x={b.x} y={b.y} width={b.w} height={b.h} fill="none" stroke={INK} strokeWidth={0.9} />
        </>
      )}
    </LayerGroup>
  );
}

/** Thin lines from a small patch of one block to a point of the next, as the paper draws the connections. */
export function Connector({ a, b }: { a: DiagramBlock; b: DiagramBlock }) {
  const front = (k: DiagramBlock) => ({ x: k.x + (k.drawn - 1) * k.step, y: k.y + (k.drawn - 1) * k.step });
  if (a.kind === 'maps') {
    const fa = front(a);
    const p = Math.max(4, a.side * 0.18);
    const px = fa.x + a.side * 0.55;
    const py = fa.y + a.side * 0.3;
    const tx = b.kind === 'maps' ? front(b).x + b.side * 0.45 : b.x + b.w / 2;
    const ty = b.kind === 'maps' ? front(b).y + b.side * 0.35 : b.y + b.h * 0.35;
    return (
      <g stroke={INK2} strokeWidth={0.7} fill="none">
        <rect x={px} y={py} width={p} height={p} stroke={INK} />
        <line x1={px + p} y1={py} x2={tx} y2={ty} />
        <line x1={px + p} y1={py + p} x2={tx} y2={ty} />
      </g>
    );
  }
  return (
    <g stroke={INK2} strokeWidth={0.7}>
      <line x1={a.x + a.w} y1={a.y} x2={b.x} y2={b.y} />
      <line x1={a.x + a.w} y1={a.y + a.h} x2={b.x} y2={b.y + b.h} />
    </g>
  );
}

/** The operations named between blocks, as the paper writes them under the figure. */
export function OpLabels({ ops, y }: { ops: DiagramOp[]; y: number }) {
  return ops.map((o) => (
    <text key={`o${o.cx}`} x={o.cx} y={y} textAnchor="middle" fontSize={11} fill={INK2}>
      {o.lines.map((l, i) => (
        <tspan key={l} x={o.cx} dy={i === 0 ? 0 : 13}>
          {l}
        </tspan>
      ))}
    </text>
  ));
}

// The hero: the network drawn the way the LeNet-5 paper draws it, with the live feature maps of one sample.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useDataset } from '../../store/dataset';
import { useModel } from '../../store/model';
import { useTraining } from '../../store/training';
import { useUi } from '../../store/ui';
import type { ActivationMap } from '../../train/types';
import { channelDataUrl, inputDataUrl, range } from '../common/images';
import { downloadBlob } from '../export/download';
import { useErrorLayer } from '../model/linked';
import { GraphDrawing } from './GraphDiagram';
import { type GraphNode, isGraph, layoutGraph } from './graph-layout';
import { type DiagramBlock, type DiagramLayout, layoutDiagram } from './layout';
import { SamplePicker } from './SamplePicker';
import { svgText, svgToPngBlob } from './svg-export';

const INK = '#23211d';
const INK2 = '#5b574f';
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';

interface BlockImages {
  /** Data URLs of the drawn squares, back to front. */
  squares: (string | null)[];
  /** Gray levels 0..1 of the column cells. */
  cells: number[] | null;
}

function imagesFor(b: DiagramBlock, act: ActivationMap | undefined, inputUrl: string | null): BlockImages {
  if (b.layerName === null) return { squares: Array(b.drawn).fill(inputUrl), cells: null };
  if (!act) return { squares: Array(b.drawn).fill(null), cells: null };
  const [lo, hi] = range(act.data);
  if (b.kind === 'maps' && act.shape.length === 3) {
    const [h, w, c] = act.shape;
    return {
      squares: Array.from({ length: b.drawn }, (_, i) => channelDataUrl(act.data, h, w, c, i, lo, hi)),
      cells: null,
    };
  }
  const n = act.data.length;
  const bins = Math.min(n, 48);
  const cells: number[] = [];
  for (let i = 0; i < bins; i++) {
    const a = Math.floor((i * n) / bins);
    const z = Math.max(a + 1, Math.floor(((i + 1) * n) / bins));
    let s = 0;
    for (let j = a; j < z; j++) s += act.data[j];
    cells.push((s / (z - a) - lo) / (hi - lo || 1));
  }
  return { squares: [], cells };
}

interface Linked {
  active: boolean;
  error: boolean;
  /** Hover or focus enters (the layer's name) or leaves (null). */
  onActive(layer: string | null): void;
  onReveal(layer: string): void;
}

function Block({
  b,
  images,
  layout,
  link,
}: {
  b: DiagramBlock;
  images: BlockImages;
  layout: DiagramLayout;
  link: Linked;
}) {
  const label = b.lines.join(' ');
  const layer = b.layerName;
  const enter = () => link.onActive(layer);
  const leave = () => link.onActive(null);
  return (
    // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>; it acts as one
    <g
      data-testid="diagram-layer"
      data-layer={layer ?? undefined}
      data-active={link.active ? 'true' : undefined}
      data-error={link.error ? 'true' : undefined}
      aria-label={label}
      role="button"
      tabIndex={layer ? 0 : undefined}
      onMouseEnter={enter}
      onMouseLeave={leave}
      onFocus={enter}
      onBlur={leave}
      onClick={() => layer && link.onReveal(layer)}
      onKeyDown={(e) => {
        if (layer && (e.key === 'Enter' || e.key === ' ')) {
          e.preventDefault();
          link.onReveal(layer);
        }
      }}
    >
      <text x={b.cx} y={layout.labelY} textAnchor="middle" fontSize={11.5} fill={INK} fontFamily={FONT}>
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
    </g>
  );
}

/** Thin lines from a small patch of one block to a point of the next, as the paper draws the connections. */
function Connector({ a, b }: { a: DiagramBlock; b: DiagramBlock }) {
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
      <line x1={a.x + a.w} y1={a.y} x2={b.x} y2={b.y + (b.kind === 'maps' ? 0 : 0)} />
      <line x1={a.x + a.w} y1={a.y + a.h} x2={b.x} y2={b.y + b.h} />
    </g>
  );
}

/**
 * Fits the network to the panel: a little larger on wide screens, shrunk down to 60% for deep networks (text
 * stays readable); beyond that the panel scrolls.
 */
function fitScale(width: number, box: number): number {
  if (box <= 0) return 1;
  return Math.max(0.6, Math.min(1.25, (box - 8) / width));
}

/** A graph is never shrunk (its labels are small already): a long one scrolls sideways. */
function graphScale(width: number, box: number): number {
  return box <= 0 ? 1 : Math.max(1, Math.min(1.25, (box - 8) / width));
}

export function Diagram() {
  const built = useModel((s) => s.built);
  const activeLayer = useUi((s) => s.activeLayer);
  const { setActiveLayer, revealLayer } = useUi.getState();
  const errorLayer = useErrorLayer();
  const activations = useTraining((s) => s.activations);
  const sampleIndex = useTraining((s) => s.sampleIndex);
  const dataset = useDataset((s) => s.dataset);
  const svgRef = useRef<SVGSVGElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [boxWidth, setBoxWidth] = useState(0);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setBoxWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // A functional model with branches is drawn as a graph; a chain the way the LeNet-5 paper draws it.
  const graph = useMemo(() => (built && isGraph(built) ? layoutGraph(built) : null), [built]);
  const layout = useMemo(() => (built && !graph ? layoutDiagram(built) : null), [built, graph]);
  const nodeLink = {
    active: (n: GraphNode) => activeLayer !== null && n.layers.includes(activeLayer),
    error: (n: GraphNode) => errorLayer !== null && n.layers.includes(errorLayer),
    onActive: setActiveLayer,
    onReveal: revealLayer,
  };
  const inputAdapt = useDataset((s) => s.inputAdapt);
  // The input block shows the sample as the network sees it (padded or resized to the input size).
  const inputUrl = useMemo(
    () => (dataset ? inputDataUrl(dataset, sampleIndex, built?.inputShape ?? null, inputAdapt) : null),
    [dataset, sampleIndex, built, inputAdapt],
  );
  const images = useMemo(() => {
    if (!layout) return [];
    const byName = new Map((activations ?? []).map((a) => [a.layerName, a]));
    return layout.blocks.map((b) =>
      imagesFor(b, b.layerName ? byName.get(b.layerName) : undefined, inputUrl),
    );
  }, [layout, activations, inputUrl]);

  const exportSvg = () => {
    if (svgRef.current)
      downloadBlob(new Blob([svgText(svgRef.current)], { type: 'image/svg+xml' }), 'network.svg');
  };
  const exportPng = async () => {
    if (svgRef.current) downloadBlob(await svgToPngBlob(svgRef.current, 2), 'network.png');
  };

  return (
    <section className="card diagram-card" aria-labelledby="diagram-title">
      <div className="card-head">
        <h2 id="diagram-title">Network</h2>
        <span className="muted small">
          {activations ? 'live feature maps of the chosen sample' : 'feature maps appear while training'}
        </span>
        <span className="spacer" />
        <SamplePicker />
        <button
          type="button"
          className="btn small"
          data-testid="export-svg"
          onClick={exportSvg}
          disabled={!layout && !graph}
        >
          SVG
        </button>
        <button
          type="button"
          className="btn small"
          data-testid="export-png"
          onClick={() => void exportPng()}
          disabled={!layout && !graph}
        >
          PNG
        </button>
      </div>
      <div className="diagram-scroll" ref={scroller}>
        {graph && (
          <svg
            ref={svgRef}
            data-testid="network-diagram"
            data-graph="true"
            xmlns="http://www.w3.org/2000/svg"
            width={Math.round(graph.width * graphScale(graph.width, boxWidth))}
            height={Math.round(graph.height * graphScale(graph.width, boxWidth))}
            viewBox={`0 0 ${graph.width} ${graph.height}`}
            role="img"
            aria-label={`Graph of ${built?.name}: ${graph.nodes.length} blocks, ${graph.edges.filter((e) => e.skip).length} skip connections`}
            fontFamily={FONT}
          >
            <GraphDrawing layout={graph} activations={activations} inputUrl={inputUrl} link={nodeLink} />
          </svg>
        )}
        {layout && (
          <svg
            ref={svgRef}
            data-testid="network-diagram"
            xmlns="http://www.w3.org/2000/svg"
            width={Math.round(layout.width * fitScale(layout.width, boxWidth))}
            height={Math.round(layout.height * fitScale(layout.width, boxWidth))}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            role="img"
            aria-label={`Diagram of ${built?.name}: ${layout.blocks.map((b) => b.lines.join(' ')).join(', ')}`}
            fontFamily={FONT}
          >
            <rect x={0} y={0} width={layout.width} height={layout.height} fill="#fffefa" />
            {layout.blocks.map((b, i) => (
              <Block
                key={`b${b.cx}`}
                b={b}
                images={images[i]}
                layout={layout}
                link={{
                  active:
                    activeLayer !== null && (b.layerName === activeLayer || b.layers.includes(activeLayer)),
                  error: errorLayer !== null && b.layers.includes(errorLayer),
                  onActive: setActiveLayer,
                  onReveal: revealLayer,
                }}
              />
            ))}
            {layout.blocks.slice(1).map((b, i) => (
              <Connector key={`c${b.cx}`} a={layout.blocks[i]} b={b} />
            ))}
            {layout.ops.map((o) => (
              <text key={`o${o.cx}`} x={o.cx} y={layout.opY} textAnchor="middle" fontSize={11} fill={INK2}>
                {o.lines.map((l, i) => (
                  <tspan key={l} x={o.cx} dy={i === 0 ? 0 : 13}>
                    {l}
                  </tspan>
                ))}
              </text>
            ))}
          </svg>
        )}
      </div>
    </section>
  );
}

// A functional model drawn as a graph (see graph-layout.ts): feature-map stacks, vector columns and merge
// circles, connected by edges; residual shortcuts arc around the main path. Blocks take part in the linked
// hover like the paper-style drawing's.
import type { ActivationMap } from '../../train/types';
import { channelDataUrl, range } from '../common/images';
import type { GraphLayout, GraphNode } from './graph-layout';
import { LayerGroup } from './LayerGroup';

const INK = '#23211d';
const INK2 = '#5b574f';
const SKIP = '#b5532d';

export interface NodeLink {
  active(n: GraphNode): boolean;
  error(n: GraphNode): boolean;
  onActive(layer: string | null): void;
  onReveal(layer: string): void;
}

function front(n: GraphNode, act: ActivationMap | undefined, inputUrl: string | null): string | null {
  if (n.index < 0) return inputUrl;
  if (act?.shape.length !== 3) return null;
  const [h, w, c] = act.shape;
  const [lo, hi] = range(act.data);
  return channelDataUrl(act.data, h, w, c, 0, lo, hi);
}

function Node({ n, link, image }: { n: GraphNode; link: NodeLink; image: string | null }) {
  const ty = n.y - 20;
  return (
    <LayerGroup
      layer={n.layerName}
      label={n.lines.join(' ')}
      link={{ ...link, active: link.active(n), error: link.error(n) }}
    >
      <text x={n.cx} y={ty} textAnchor="middle" fontSize={11} fill={INK}>
        <tspan x={n.cx}>{n.lines[0]}</tspan>
        <tspan x={n.cx} dy={12}>
          {n.lines[1]}
        </tspan>
      </text>
      {n.kind === 'merge' && (
        <>
          <circle cx={n.cx} cy={n.y + n.h / 2} r={n.w / 2} fill="#fffefa" stroke={INK} strokeWidth={0.9} />
          <text x={n.cx} y={n.y + n.h / 2 + 4} textAnchor="middle" fontSize={12} fill={INK}>
            {n.lines[0] === 'concatenate' ? '‖' : '+'}
          </text>
        </>
      )}
      {n.kind === 'vector' && (
        <rect x={n.x} y={n.y} width={n.w} height={n.h} fill="#fffefa" stroke={INK} strokeWidth={0.9} />
      )}
      {n.kind === 'maps' &&
        [0, 1, 2].map((i) => {
          const side = n.w - 8;
          const x = n.x + i * 4;
          const y = n.y + i * 4;
          return (
            <g key={i}>
              <rect x={x} y={y} width={side} height={side} fill="#fffefa" stroke={INK} strokeWidth={0.8} />
              {i === 2 && image && (
                <image
                  href={image}
                  x={x + 0.5}
                  y={y + 0.5}
                  width={side - 1}
                  height={side - 1}
                  preserveAspectRatio="none"
                  style={{ imageRendering: 'pixelated' }}
                />
              )}
            </g>
          );
        })}
    </LayerGroup>
  );
}

function edgePath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  let d = `M${points[0].x.toFixed(1)},${points[0].y.toFixed(1)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    const q = points[i + 1];
    const mx = (p.x + q.x) / 2;
    const my = (p.y + q.y) / 2;
    d += ` Q${p.x.toFixed(1)},${p.y.toFixed(1)} ${mx.toFixed(1)},${my.toFixed(1)}`;
  }
  const last = points[points.length - 1];
  d += ` L${last.x.toFixed(1)},${last.y.toFixed(1)}`;
  return d;
}

export function GraphDrawing({
  layout,
  activations,
  inputUrl,
  link,
}: {
  layout: GraphLayout;
  activations: ActivationMap[] | null;
  inputUrl: string | null;
  link: NodeLink;
}) {
  const byName = new Map((activations ?? []).map((a) => [a.layerName, a]));
  return (
    <>
      <rect x={0} y={0} width={layout.width} height={layout.height} fill="#fffefa" />
      <defs>
        <marker
          id="pw-arrow"
          viewBox="0 0 6 6"
          refX="5"
          refY="3"
          markerWidth="5"
          markerHeight="5"
          orient="auto"
        >
          <path d="M0,0 L6,3 L0,6 z" fill={INK2} />
        </marker>
      </defs>
      {layout.edges.map((e) => (
        <path
          key={`${e.from}-${e.to}`}
          data-testid="diagram-edge"
          data-skip={e.skip ? 'true' : undefined}
          d={edgePath(e.points)}
          fill="none"
          stroke={e.skip ? SKIP : INK2}
          strokeWidth={e.skip ? 1.1 : 0.8}
          markerEnd="url(#pw-arrow)"
        />
      ))}
      {layout.nodes.map((n) => (
        <Node
          key={n.index}
          n={n}
          link={link}
          image={
            n.kind === 'maps'
              ? front(
                  n,
                  n.layerName
                    ? (byName.get(n.layers[n.layers.length - 1]) ?? byName.get(n.layerName))
                    : undefined,
                  inputUrl,
                )
              : null
          }
        />
      ))}
    </>
  );
}

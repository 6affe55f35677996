// A functional model (a DAG: residual blocks, branches) drawn as a graph laid out by dagre: one node per
// layer that changes the representation (convolutions, pooling, dense, merges), layers that keep it (batch
// norm, activations, dropout, flatten) folded into the node before them, an edge per connection. Skip
// connections come out as the arcs dagre routes around the main path. Pure geometry, tested without a DOM.
import dagre from '@dagrejs/dagre';
import type { BuiltModel } from '../../model';
import { MERGE_LAYERS } from '../../model/layers';

export interface GraphNode {
  /** Layer index in the model, or -1 for the input. */
  index: number;
  layerName: string | null;
  /** Every layer drawn as this node (itself and the ones folded into it). */
  layers: string[];
  kind: 'maps' | 'vector' | 'merge';
  lines: string[];
  shape: number[];
  /** Box of the drawn shape (labels go above it). */
  x: number;
  y: number;
  w: number;
  h: number;
  cx: number;
}

export interface GraphEdge {
  from: number;
  to: number;
  points: { x: number; y: number }[];
  /** Skips at least one node of the main path (a residual shortcut). */
  skip: boolean;
}

export interface GraphLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

const KEEPS_SHAPE = new Set([
  'BatchNormalization',
  'Activation',
  'Dropout',
  'Flatten',
  'Rescaling',
  'Normalization',
  'RandomFlip',
  'RandomTranslation',
  'RandomRotation',
  'RandomZoom',
  'RandomCrop',
  'Reshape',
]);
const MERGES = new Set<string>(MERGE_LAYERS);
const LABEL_H = 32;
const MERGE_R = 9;

/** Whether the model is more than a chain (then the graph drawing is used). */
export const isGraph = (m: BuiltModel) =>
  m.layers.some((l, i) => l.inbound.length !== 1 || l.inbound[0] !== i - 1);

function label(className: string, config: Record<string, unknown>, shape: number[]): string[] {
  const dims =
    shape.length === 3 ? `${shape[2]}@${shape[0]}x${shape[1]}` : `${shape.reduce((a, d) => a * d, 1)}`;
  const k = config.kernel_size as [number, number] | undefined;
  const s = config.strides as [number, number] | undefined;
  const stride = s && (s[0] > 1 || s[1] > 1) ? `/${s[0]}` : '';
  switch (className) {
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
    case 'Conv2DTranspose':
      return [
        `${className === 'Conv2D' ? 'conv' : className.replace('Conv2D', '').toLowerCase()} ${k?.[0]}x${k?.[1]}${stride}`,
        dims,
      ];
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return [className === 'MaxPooling2D' ? 'max pool' : 'avg pool', dims];
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return ['global pool', dims];
    case 'Dense':
      return ['dense', dims];
    default:
      return MERGES.has(className) ? [className.toLowerCase(), dims] : [className, dims];
  }
}

export function layoutGraph(model: BuiltModel): GraphLayout {
  // rep[i]: the node that draws layer i (itself, or the node it was folded into).
  const rep = new Map<number, number>();
  const nodes = new Map<number, GraphNode>();
  const edges: [number, number][] = [];
  const maxSide = Math.max(
    1,
    ...model.layers.map((l) => (l.outputShape.length === 3 ? l.outputShape[0] : 0)),
    model.inputShape[0] ?? 1,
  );
  const node = (
    index: number,
    layerName: string | null,
    className: string,
    config: Record<string, unknown>,
    shape: number[],
  ) => {
    const merge = MERGES.has(className);
    const maps = shape.length === 3 && !(shape[0] === 1 && shape[1] === 1);
    const side = maps ? Math.max(12, Math.round((52 * shape[0]) / maxSide)) : 0;
    const w = merge ? 2 * MERGE_R : maps ? side + 8 : 12;
    const h = merge
      ? 2 * MERGE_R
      : maps
        ? side + 8
        : Math.max(24, Math.min(70, 10 * Math.log2(shape.reduce((a, d) => a * d, 1) + 1)));
    nodes.set(index, {
      index,
      layerName,
      layers: layerName ? [layerName] : [],
      kind: merge ? 'merge' : maps ? 'maps' : 'vector',
      lines: index < 0 ? ['INPUT', label('', {}, shape)[1]] : label(className, config, shape),
      shape,
      x: 0,
      y: 0,
      w,
      h,
      cx: 0,
    });
  };
  node(-1, null, 'InputLayer', {}, model.inputShape);
  rep.set(-1, -1);
  model.layers.forEach((l, i) => {
    const name = l.layer.config.name;
    if (KEEPS_SHAPE.has(l.layer.className) && l.inbound.length === 1) {
      const r = rep.get(l.inbound[0]) ?? -1;
      rep.set(i, r);
      nodes.get(r)?.layers.push(name);
      return;
    }
    node(i, name, l.layer.className, l.layer.config as unknown as Record<string, unknown>, l.outputShape);
    rep.set(i, i);
    for (const src of l.inbound) edges.push([rep.get(src) ?? -1, i]);
  });

  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 26, ranksep: 30, marginx: 16, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes.values()) {
    const textW = Math.max(...n.lines.map((l) => l.length * 6.8));
    n.cx = 0;
    g.setNode(String(n.index), { width: Math.max(n.w, textW) + 4, height: n.h + LABEL_H });
  }
  for (const [a, b] of edges) g.setEdge(String(a), String(b));
  dagre.layout(g);
  // The main path: the longest chain of nodes; an edge that jumps over a node on it is a skip.
  const order = [...nodes.keys()];
  const rank = new Map(order.map((k) => [k, g.node(String(k)).x]));
  for (const n of nodes.values()) {
    const p = g.node(String(n.index));
    n.cx = p.x;
    n.x = p.x - n.w / 2;
    n.y = p.y - (n.h + LABEL_H) / 2 + LABEL_H;
  }
  const xs = [...new Set([...rank.values()])].sort((a, b) => a - b);
  const out: GraphEdge[] = edges.map(([a, b]) => {
    const e = g.edge(String(a), String(b));
    const span = xs.indexOf(rank.get(b)!) - xs.indexOf(rank.get(a)!);
    return { from: a, to: b, points: e?.points ?? [], skip: span > 1 };
  });
  const graph = g.graph();
  return {
    nodes: [...nodes.values()],
    edges: out,
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
  };
}

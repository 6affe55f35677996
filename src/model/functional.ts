// Functional models (keras.Model(inputs, outputs)): a DAG of layer calls with one input and one output, built
// into the same BuiltModel as Sequential: layers in topological order, each with the indices it reads from.
import type { Layer } from './layers';
import { type BuiltLayer, type BuiltModel, buildLayer, checkModelSize } from './sequential';
import { ShapeError } from './shapes';

export interface GraphNode {
  layer: Layer;
  /** Indices of earlier nodes this one reads, in call order; -1 is the model's input. */
  inbound: number[];
}

/** A functional model as plain data: nodes in topological order, the last one the output. */
export class Functional {
  constructor(
    readonly nodes: GraphNode[],
    readonly inputShape: number[],
    readonly name = 'functional',
    readonly inputName = 'input_layer',
  ) {}

  get layers(): Layer[] {
    return this.nodes.map((n) => n.layer);
  }

  build(): BuiltModel {
    return buildFunctional(this.nodes, this.inputShape, this.name, this.inputName);
  }
}

export function buildFunctional(
  nodes: GraphNode[],
  inputShape: number[],
  name = 'functional',
  inputName = 'input_layer',
): BuiltModel {
  if (nodes.length === 0) throw new Error('the model has no layers: its output is its input');
  checkModelSize(
    inputShape,
    nodes.map((n) => n.layer),
  );
  const names = new Set<string>([inputName]);
  const built: BuiltLayer[] = [];
  let total = 0;
  nodes.forEach(({ layer, inbound }, i) => {
    const lname = layer.config.name;
    if (names.has(lname)) {
      throw new ShapeError(`two layers are named '${lname}'; layer names must be unique in a model`, lname);
    }
    names.add(lname);
    if (inbound.length === 0 || inbound.some((j) => j < -1 || j >= i || !Number.isInteger(j))) {
      throw new Error(
        `${lname}: inbound [${inbound.join(', ')}] must point at earlier layers or the input (-1)`,
      );
    }
    const inputs = inbound.map((j) => (j === -1 ? [...inputShape] : built[j].outputShape));
    const b = buildLayer(layer, inputs, inbound);
    total += b.paramCount;
    built.push(b);
  });
  return { name, inputShape: [...inputShape], layers: built, paramCount: total, inputName, functional: true };
}

/**
 * Keras's layer order for a functional model (Function._build_map): from the output, depth = the longest path
 * to the output; layers by decreasing depth, ties by first visit of a depth-first walk from the output that
 * takes inputs in call order. `inbound[i]` lists the producers of node i (-1 = the model input).
 * Returns the order (indices into the given nodes) of the nodes the output depends on.
 */
export function kerasOrder(inbound: number[][], output: number): number[] {
  const preorder = new Map<number, number>();
  const depth = new Map<number, number>([[output, 0]]);
  const visit = (n: number) => {
    if (preorder.has(n)) return;
    preorder.set(n, preorder.size);
    for (const p of inbound[n]) if (p >= 0) visit(p);
  };
  visit(output);
  // Longest path to the output: relax in reverse topological order (consumers before producers).
  const topo: number[] = [];
  const done = new Set<number>();
  const post = (n: number) => {
    if (done.has(n)) return;
    done.add(n);
    for (const p of inbound[n]) if (p >= 0) post(p);
    topo.push(n);
  };
  post(output);
  for (const n of [...topo].reverse()) {
    const d = depth.get(n) ?? 0;
    for (const p of inbound[n]) if (p >= 0) depth.set(p, Math.max(depth.get(p) ?? 0, d + 1));
  }
  return [...preorder.keys()].sort(
    (a, b) => (depth.get(b) ?? 0) - (depth.get(a) ?? 0) || (preorder.get(a) ?? 0) - (preorder.get(b) ?? 0),
  );
}

/** Whether every layer reads only the one before it (Keras prints such models without "Connected to"). */
export function isChain(model: BuiltModel): boolean {
  return model.layers.every((l, i) => l.inbound.length === 1 && l.inbound[0] === i - 1);
}

// The graph the functional reader builds: inputs and layer calls, each reading earlier entries; from the
// model's output, the layers it depends on in Keras's order become a Functional model.
import { Functional, type GraphNode, kerasOrder, type Layer, type TrainingConfig } from '../model';
import type { Span } from './python-values';

export type Entry =
  | { kind: 'input'; name: string; shape: number[]; at: Span }
  | { kind: 'layer'; layer: Layer; inbound: number[]; at: Span };

export interface FunctionalFound {
  model: Functional;
  /** Where each layer's call is, by layer name, for errors placed at the line that breaks. */
  spans: Map<string, Span>;
  at: Span;
  used: boolean;
  training: Partial<TrainingConfig>;
}

export interface ModelEntry {
  name: string;
  input: number;
  output: number;
  at: Span;
  used: boolean;
  training: Partial<TrainingConfig>;
}

export function graphToModel(
  entries: Entry[],
  m: ModelEntry,
  fail: (at: Span, message: string) => never,
): FunctionalFound {
  const inbound = entries.map((e) => (e.kind === 'layer' ? e.inbound : []));
  const order = kerasOrder(inbound, m.output);
  const inputs = order.filter((i) => entries[i].kind === 'input');
  const input = entries[m.input];
  if (input.kind !== 'input') return fail(m.at, 'the model input must come from keras.Input(shape=...)');
  const stray = inputs.find((i) => i !== m.input);
  if (stray !== undefined) {
    const e = entries[stray] as { name: string };
    fail(
      m.at,
      `the output depends on the input '${e.name}', which is not the model's input '${input.name}'; ` +
        'Paperweight builds models with one input',
    );
  }
  if (!inputs.includes(m.input)) {
    fail(m.at, `the output does not depend on the model's input '${input.name}'`);
  }
  const index = new Map<number, number>();
  const nodes: GraphNode[] = [];
  const spans = new Map<string, Span>();
  for (const i of order) {
    const e = entries[i];
    if (e.kind !== 'layer') continue;
    index.set(i, nodes.length);
    nodes.push({
      layer: e.layer,
      inbound: e.inbound.map((j) => (j === m.input ? -1 : (index.get(j) ?? -2))),
    });
    spans.set(e.layer.config.name, e.at);
  }
  if (nodes.length === 0) fail(m.at, 'the model has no layers: its output is its input');
  const model = new Functional(nodes, input.shape, m.name, input.name);
  return { model, spans, at: m.at, used: m.used, training: m.training };
}

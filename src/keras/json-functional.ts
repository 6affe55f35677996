// Functional models in JSON: Keras 3 (inbound_nodes as {args: [__keras_tensor__ with keras_history]}) and
// Keras 2 / TF.js (inbound_nodes as [[[layer, node, tensor, kwargs], ...]]), one input and one output, into a
// Functional model in Keras's layer order.
import { Functional, type GraphNode, kerasOrder, type Layer, ShapeError } from '../model';
import { KerasImportError, oneInputOneOutput, sharedLayer } from './errors';
import { isObject, type Json, type JsonObject, LayerJson, layerFromJson } from './json-layers';

/**
 * The layer a [layer, node, tensor] reference reads. Node 1 or later is a second call of a shared layer, and
 * tensor 1 or later an output of a layer with several.
 */
function producer(ref: Json[], where: string): string {
  if (ref[1] !== 0 || ref[2] !== 0) {
    throw new KerasImportError(
      sharedLayer(
        `${where}: reads ${JSON.stringify(ref.slice(0, 3))}`,
        'save the model with a layer per call',
      ),
    );
  }
  return ref[0] as string;
}

/** The layer names a Keras 3 call argument reads: one __keras_tensor__, or a list of them. */
function historyNames(arg: Json, where: string): string[] {
  if (Array.isArray(arg)) return arg.flatMap((a) => historyNames(a, where));
  const history = isObject(arg) && isObject(arg.config) ? arg.config.keras_history : undefined;
  if (Array.isArray(history) && typeof history[0] === 'string') return [producer(history, where)];
  throw new KerasImportError(`${where}: an inbound argument has no keras_history`);
}

/** The layers one JSON layer entry reads, by name, in call order. */
function inboundNames(nodes: Json | undefined, where: string): string[] {
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  if (nodes.length > 1) {
    throw new KerasImportError(
      sharedLayer(`${where} is called ${nodes.length} times`, 'save the model with a layer per call'),
    );
  }
  const node = nodes[0];
  // Keras 3: {args: [tensor or [tensors]], kwargs}.
  if (isObject(node)) {
    const args = Array.isArray(node.args) ? node.args : [];
    return args.length ? historyNames(args[0], where) : [];
  }
  // Keras 2 / TF.js: [[name, node, tensor, kwargs], ...].
  if (Array.isArray(node)) {
    return node.map((t) => {
      if (!Array.isArray(t) || typeof t[0] !== 'string') {
        throw new KerasImportError(`${where}: inbound_nodes entries must be [layer, node, tensor, kwargs]`);
      }
      return producer(t, where);
    });
  }
  throw new KerasImportError(`${where}: inbound_nodes is not a form Keras writes`);
}

/** [['input_1', 0, 0]] -> 'input_1'; more than one is refused. */
function oneEnd(v: Json | undefined, what: 'input' | 'output'): string {
  const list = Array.isArray(v) && typeof v[0] === 'string' ? [v] : v;
  if (
    !Array.isArray(list) ||
    list.length !== 1 ||
    !Array.isArray(list[0]) ||
    typeof list[0][0] !== 'string'
  ) {
    const n = Array.isArray(list) ? list.length : 0;
    throw new KerasImportError(oneInputOneOutput(n, what));
  }
  return list[0][0];
}

const dropBatch = (v: Json | undefined): number[] | null =>
  Array.isArray(v) && v.length >= 2 && v.slice(1).every((d) => typeof d === 'number')
    ? (v.slice(1) as number[])
    : null;

export function functionalFromJson(config: JsonObject, warnings: string[]): Functional {
  const layersJson = config.layers;
  if (!Array.isArray(layersJson)) throw new KerasImportError('the functional config has no layers list');
  const inputName = oneEnd(config.input_layers, 'input');
  const outputName = oneEnd(config.output_layers, 'output');
  const byName = new Map<string, number>();
  const entries: { name: string; layer: Layer | null; inbound: string[]; shape: number[] | null }[] = [];
  layersJson.forEach((lj, i) => {
    if (!isObject(lj) || typeof lj.class_name !== 'string') {
      throw new KerasImportError(`layer ${i + 1}: expected {"class_name": ..., "config": {...}}`);
    }
    const cfg = (isObject(lj.config) ? lj.config : {}) as JsonObject;
    const name = typeof lj.name === 'string' ? lj.name : typeof cfg.name === 'string' ? cfg.name : '';
    if (!name) throw new KerasImportError(`layer ${i + 1} (${lj.class_name}) has no name`);
    const where = `layer ${i + 1} '${name}' (${lj.class_name})`;
    byName.set(name, entries.length);
    if (lj.class_name === 'InputLayer') {
      const shape = dropBatch(cfg.batch_shape ?? cfg.batch_input_shape);
      if (!shape)
        throw new KerasImportError(`${where}: needs a batch_shape with fixed sizes, e.g. [null, 32, 32, 3]`);
      entries.push({ name, layer: null, inbound: [], shape });
      return;
    }
    const layer = layerFromJson(new LayerJson(i, lj.class_name, cfg, warnings));
    layer.config.name = name;
    entries.push({ name, layer, inbound: inboundNames(lj.inbound_nodes, where), shape: null });
  });
  const index = (name: string, from: string): number => {
    const i = byName.get(name);
    if (i === undefined)
      throw new KerasImportError(`${from} reads '${name}', which is not a layer of the model`);
    return i;
  };
  const input = index(inputName, 'input_layers');
  const output = index(outputName, 'output_layers');
  const inputEntry = entries[input];
  if (inputEntry.layer !== null || !inputEntry.shape) {
    throw new KerasImportError(`input_layers names '${inputName}', which is not an InputLayer`);
  }
  const inbound = entries.map((e) => e.inbound.map((n) => index(n, `layer '${e.name}'`)));
  const order = kerasOrder(inbound, output);
  const stray = order.find((i) => entries[i].layer === null && i !== input);
  if (stray !== undefined) {
    throw new KerasImportError(
      `the output depends on the input '${entries[stray].name}' besides '${inputName}'; Paperweight builds models with one input`,
    );
  }
  const position = new Map<number, number>();
  const nodes: GraphNode[] = [];
  for (const i of order) {
    const e = entries[i];
    if (!e.layer) continue;
    position.set(i, nodes.length);
    nodes.push({
      layer: e.layer,
      inbound: inbound[i].map((j) => (j === input ? -1 : (position.get(j) ?? -2))),
    });
  }
  if (nodes.length === 0) throw new KerasImportError('the model has no layers: its output is its input');
  const name = typeof config.name === 'string' ? config.name : 'functional';
  return new Functional(nodes, inputEntry.shape, name, inputName);
}

/** Builds it, with shape errors naming the layer as the Sequential import does. */
export function buildFunctionalJson(model: Functional) {
  try {
    return model.build();
  } catch (e) {
    const msg = (e as Error).message;
    throw new KerasImportError(e instanceof ShapeError ? `layer '${e.layerName}': ${msg}` : msg);
  }
}

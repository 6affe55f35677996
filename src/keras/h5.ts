// The Keras 2 `.h5` model file (model.save('model.h5'); Keras 3 still reads and writes it as the legacy
// format), both ways. Layout from Keras's legacy_h5_format / hdf5_format: root attributes keras_version,
// backend, model_config (the model's JSON, Keras 2 spelling: no module/registered_name, dtype 'float32',
// batch_input_shape) and training_config; a `model_weights` group with attributes layer_names, backend and
// keras_version, one group per layer holding a weight_names attribute ('conv2d/kernel:0', ...) and the
// datasets at those names (so conv2d/conv2d/kernel:0). Layers without weights have an empty weight_names.
// Weights load by order, as Keras's load_weights_from_hdf5_group does: the i-th layer that has weights in
// the file goes to the i-th layer that has weights in the model.
import type { BuiltModel, NamedWeight, TrainingConfig } from '../model';
import { ensureGroup, group, type H5Attr, type H5Group, nodeAt, readHdf5, writeHdf5 } from './hdf5-tree';
import { isObject, type Json, type JsonObject } from './json-layers';
import {
  builtIndexOf,
  configLayers,
  importModelJson,
  layerWeights,
  lossJson,
  type ModelFileImport,
  modelJsonObject,
  optimizerJson,
  orderedWeights,
  parseJson,
  refuse,
} from './model-file-common';

/** The Keras version the written layout is Keras 2's (tf.keras 2.x); Keras 3 reads it as its legacy format. */
const KERAS2_VERSION = '2.15.0';

/** A string-list attribute, also when Keras split it into name0, name1, ... (HDF5's 64 KiB header limit). */
function stringList(g: H5Group, name: string): string[] | null {
  const whole = g.attrs[name];
  if (whole !== undefined) return Array.isArray(whole) ? whole.map(String) : [String(whole)];
  const parts: string[] = [];
  for (let i = 0; g.attrs[`${name}${i}`] !== undefined; i++) {
    const v = g.attrs[`${name}${i}`] as H5Attr;
    parts.push(...(Array.isArray(v) ? v.map(String) : [String(v)]));
  }
  return parts.length > 0 || g.attrs[`${name}0`] !== undefined ? parts : null;
}

function explainMissingConfig(h5: H5Group, fileName: string): never {
  if (h5.children.has('layers') || h5.children.has('vars')) {
    throw refuse(
      fileName,
      "this is a Keras 3 weights file (model.weights.h5) without the model's architecture; drop the .keras " +
        'file it came from instead',
    );
  }
  if (h5.attrs.layer_names !== undefined) {
    throw refuse(
      fileName,
      'this file holds weights only (model.save_weights), not the model; save the whole model with ' +
        "model.save('model.h5') or model.save('model.keras')",
    );
  }
  throw refuse(fileName, 'the HDF5 file has no model_config attribute; it is not a model saved by Keras');
}

/** Reads a Keras 2 .h5 model: architecture from model_config, training from training_config, weights. */
export async function importKerasH5(bytes: Uint8Array, fileName: string): Promise<ModelFileImport> {
  const h5 = await readHdf5(bytes, fileName);
  const modelConfig = h5.attrs.model_config;
  if (typeof modelConfig !== 'string') explainMissingConfig(h5, fileName);
  const model = parseJson(modelConfig, fileName, 'the model_config attribute');
  const wrapper: JsonObject = { model_config: model };
  const tc = h5.attrs.training_config;
  if (typeof tc === 'string')
    wrapper.training_config = parseJson(tc, fileName, 'the training_config attribute');
  const result = importModelJson(JSON.stringify(wrapper), fileName, 'model_config');
  const weightsGroup = nodeAt(h5, 'model_weights');
  if (weightsGroup?.kind !== 'group') {
    throw refuse(fileName, 'the file has no model_weights group; it was saved without weights');
  }
  return { ...result, weights: weightsFromGroup(weightsGroup, model, result.built, fileName) };
}

function weightsFromGroup(g: H5Group, model: JsonObject, built: BuiltModel, fileName: string): NamedWeight[] {
  const layerNames = stringList(g, 'layer_names');
  if (!layerNames) throw refuse(fileName, 'model_weights has no layer_names attribute');
  const stored: { name: string; weightNames: string[]; layer: H5Group }[] = [];
  for (const name of layerNames) {
    const layer = nodeAt(g, name);
    if (layer?.kind !== 'group')
      throw refuse(fileName, `model_weights/${name} (listed in layer_names) is missing`);
    const weightNames = stringList(layer, 'weight_names') ?? [];
    if (weightNames.length > 0) stored.push({ name, weightNames, layer });
  }
  const layers = configLayers(model);
  const builtIndex = builtIndexOf(built, layers).filter(
    (bi): bi is number => bi !== null && built.layers[bi]?.params.length > 0,
  );
  if (stored.length !== builtIndex.length) {
    throw refuse(
      fileName,
      `the model has ${builtIndex.length} layers with weights but model_weights holds weights for ` +
        `${stored.length} (${stored.map((s) => s.name).join(', ')})`,
    );
  }
  return stored.flatMap((s, k) => {
    const arrays = s.weightNames.map((wn) => {
      const d = nodeAt(s.layer, wn);
      const where = `model_weights/${s.name}/${wn}`;
      if (d?.kind !== 'dataset') throw refuse(fileName, `${where} (listed in weight_names) is missing`);
      return { shape: d.shape, data: d.data, where };
    });
    return layerWeights(built, builtIndex[k], arrays, fileName);
  });
}

/** A Keras 3 call ({args: [tensor | [tensors]], kwargs}) as Keras 2's node: [[layer, node, tensor, kwargs], ...]. */
function legacyNode(node: Json): Json {
  if (!isObject(node) || !Array.isArray(node.args)) return node;
  const tensors = node.args.flatMap((a) => (Array.isArray(a) ? a : [a]));
  return tensors.map((t) => {
    const h = isObject(t) && isObject(t.config) ? t.config.keras_history : null;
    return Array.isArray(h) ? [h[0], h[1] ?? 0, h[2] ?? 0, {}] : t;
  });
}

/** Keras 3's JSON in Keras 2's spelling, which both tf.keras 2 and Keras 3's legacy loader read. */
export function legacyConfig(v: Json): Json {
  if (Array.isArray(v)) return v.map(legacyConfig);
  if (!isObject(v)) return v;
  if (v.class_name === 'DTypePolicy' && isObject(v.config)) return v.config.name ?? 'float32';
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'module' || k === 'registered_name' || k === 'build_config') continue;
    out[k] = k === 'inbound_nodes' && Array.isArray(x) ? x.map(legacyNode) : legacyConfig(x);
  }
  if (isObject(out.config)) {
    const c = out.config;
    if (out.class_name === 'InputLayer' && c.batch_shape !== undefined) {
      out.config = {
        batch_input_shape: c.batch_shape,
        dtype: c.dtype ?? 'float32',
        sparse: false,
        ragged: false,
        name: c.name,
      };
    }
    if (out.class_name === 'LeakyReLU' && c.negative_slope !== undefined) {
      const { negative_slope, ...rest } = c;
      out.config = { ...rest, alpha: negative_slope };
    }
  }
  return out;
}

/** Keras 2's training_config attribute. */
export function trainingConfigJson(training: TrainingConfig): JsonObject {
  return {
    loss: lossJson(training, false),
    metrics: [...training.metrics],
    weighted_metrics: null,
    loss_weights: null,
    optimizer_config: optimizerJson(training, false),
  };
}

/** The whole .h5 file as an HDF5 tree (exported for tests). */
export function kerasH5Tree(
  built: BuiltModel,
  weights: readonly NamedWeight[],
  training?: TrainingConfig,
): H5Group {
  const ordered = orderedWeights(built, weights);
  const config = modelJsonObject(built);
  const root = group({
    backend: 'tensorflow',
    keras_version: KERAS2_VERSION,
    model_config: JSON.stringify(legacyConfig(config)),
  });
  if (training) root.attrs.training_config = JSON.stringify(trainingConfigJson(training));
  // model.layers: a functional model's include its InputLayer (with no weights), a Sequential's do not.
  const layers = configLayers(config);
  const builtIndex = builtIndexOf(built, layers);
  const names = layers.map((l, i) => l.name ?? `layer_${i}`);
  const mw = ensureGroup(root, 'model_weights');
  mw.attrs = { layer_names: names, backend: 'tensorflow', keras_version: KERAS2_VERSION };
  // Keras creates the layer groups sorted by name ("so group names are strictly growing").
  const order = names.map((n, i) => [n, i] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, i] of order) {
    const lg = ensureGroup(mw, name);
    const bi = builtIndex[i];
    const ws = bi === null || bi === undefined ? [] : ordered[bi];
    lg.attrs.weight_names = ws.map((w) => `${w.name}:0`);
    for (const w of ws) {
      const slash = w.name.lastIndexOf('/');
      ensureGroup(lg, w.name.slice(0, slash)).children.set(`${w.name.slice(slash + 1)}:0`, {
        kind: 'dataset',
        shape: [...w.shape],
        data: w.data,
        attrs: {},
      });
    }
  }
  return root;
}

/** A Keras 2 .h5 model file of the model, its weights and (when given) its compile settings. */
export async function exportKerasH5(
  built: BuiltModel,
  weights: readonly NamedWeight[],
  training?: TrainingConfig,
): Promise<Uint8Array> {
  return writeHdf5(kerasH5Tree(built, weights, training));
}

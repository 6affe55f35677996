// Keras JSON -> Paperweight model: model.to_json() of Keras 2 (class_name/config, also the legacy form where
// config is the layer list) and Keras 3 (module, registered_name, build_config, DTypePolicy dtypes), and
// TF.js model.json (modelTopology, with or without model_config). Unknown fields are ignored.
import {
  defaultOptimizer,
  type LossName,
  type OptimizerConfig,
  Sequential,
  ShapeError,
  type TrainingConfig,
} from '../model';
import { KerasImportError, lineColumn } from './errors';
import type { ImportResult } from './import-code';
import { buildFunctionalJson, functionalFromJson } from './json-functional';
import { isObject, type Json, type JsonObject, LayerJson, layerFromJson } from './json-layers';
import { jsonErrorOffset } from './json-position';

function parse(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    // Engines word JSON.parse errors differently; say it the same way everywhere.
    const at = jsonErrorOffset(text);
    if (at === null) throw new KerasImportError(`not valid JSON (${(e as Error).message})`);
    const msg =
      at >= text.length
        ? 'not valid JSON: the text ends too early'
        : `not valid JSON: unexpected '${text[at]}'`;
    const { line, column } = lineColumn(text, at);
    throw new KerasImportError(msg, line, column);
  }
}

/** [null, 32, 32, 1] -> [32, 32, 1] */
function dropBatch(v: Json | undefined): number[] | null {
  if (!Array.isArray(v) || v.length < 2) return null;
  const dims = v.slice(1);
  if (!dims.every((d) => typeof d === 'number')) {
    throw new KerasImportError(
      `input shape ${JSON.stringify(v)} has unknown sizes; Paperweight needs fixed sizes, e.g. [null, 32, 32, 1]`,
    );
  }
  return dims as number[];
}

/** The Sequential config inside any of the accepted wrappers. */
function findModel(root: Json): { model: JsonObject; training: JsonObject | null } {
  if (!isObject(root)) throw new KerasImportError('not a Keras model: expected a JSON object');
  if ('modelTopology' in root) {
    const topo = root.modelTopology;
    if (!isObject(topo)) throw new KerasImportError('TF.js model.json: modelTopology is missing');
    const model = isObject(topo.model_config) ? topo.model_config : topo;
    return { model, training: isObject(topo.training_config) ? topo.training_config : null };
  }
  if (isObject(root.model_config)) {
    return {
      model: root.model_config,
      training: isObject(root.training_config) ? root.training_config : null,
    };
  }
  return { model: root, training: isObject(root.compile_config) ? root.compile_config : null };
}

const LOSSES: readonly string[] = ['sparse_categorical_crossentropy', 'categorical_crossentropy'];

/** Keras 2 training_config / Keras 3 compile_config -> training settings (what is understood of them). */
function trainingFrom(cfg: JsonObject | null): Partial<TrainingConfig> {
  const out: Partial<TrainingConfig> = {};
  if (!cfg) return out;
  const opt = cfg.optimizer_config ?? cfg.optimizer;
  const cls = isObject(opt) ? opt.class_name : opt;
  const name = typeof cls === 'string' ? cls.toLowerCase() : '';
  if (name === 'adam' || name === 'sgd' || name === 'rmsprop') {
    const oc = isObject(opt) && isObject(opt.config) ? opt.config : {};
    const lr = oc.learning_rate ?? oc.lr;
    const o: Record<string, Json> = { name };
    if (typeof lr === 'number') o.learning_rate = lr;
    for (const k of ['momentum', 'nesterov', 'beta_1', 'beta_2', 'epsilon', 'rho', 'centered']) {
      if (typeof oc[k] === 'number' || typeof oc[k] === 'boolean') o[k] = oc[k];
    }
    out.optimizer = { ...defaultOptimizer(name), ...o } as OptimizerConfig;
  }
  if (typeof cfg.loss === 'string' && LOSSES.includes(cfg.loss)) out.loss = cfg.loss as LossName;
  if (Array.isArray(cfg.metrics)) out.metrics = cfg.metrics.filter((m): m is string => typeof m === 'string');
  return out;
}

export function importKerasJson(text: string): ImportResult {
  const { model: root, training } = findModel(parse(text));
  const className = root.class_name;
  if ((className === 'Functional' || className === 'Model') && isObject(root.config)) {
    const warnings: string[] = [];
    const model = functionalFromJson(root.config, warnings);
    return { model, built: buildFunctionalJson(model), training: trainingFrom(training), warnings };
  }
  if (className !== 'Sequential') {
    throw new KerasImportError(
      `the model is a ${typeof className === 'string' ? className : 'non-Sequential'} model; Paperweight ` +
        'imports Sequential models (build it with keras.Sequential([...]) and save that)',
    );
  }
  const config = root.config;
  // Keras 2 before 2.2 wrote the layer list as the config itself.
  const layersJson = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layersJson)) throw new KerasImportError('Sequential config has no layers list');
  const name = isObject(config) && typeof config.name === 'string' ? config.name : 'sequential';
  const warnings: string[] = [];

  let inputShape: number[] | null = null;
  const layers = [];
  for (const [i, lj] of layersJson.entries()) {
    if (!isObject(lj) || typeof lj.class_name !== 'string' || !isObject(lj.config ?? {})) {
      throw new KerasImportError(`layer ${i + 1}: expected {"class_name": ..., "config": {...}}`);
    }
    const cfg = (lj.config ?? {}) as JsonObject;
    const dtype = isObject(cfg.dtype) && isObject(cfg.dtype.config) ? cfg.dtype.config.name : cfg.dtype;
    if (typeof dtype === 'string' && dtype !== 'float32') {
      warnings.push(`layer ${i + 1}: dtype '${dtype}' is ignored (Paperweight trains in float32)`);
    }
    if (lj.class_name === 'InputLayer') {
      inputShape = dropBatch(cfg.batch_shape ?? cfg.batch_input_shape) ?? inputShape;
      continue;
    }
    if (layers.length === 0 && !inputShape) {
      const build = isObject(lj.build_config) ? lj.build_config.input_shape : undefined;
      inputShape = dropBatch(cfg.batch_input_shape) ?? dropBatch(build);
    }
    layers.push(layerFromJson(new LayerJson(i, lj.class_name, cfg, warnings)));
  }
  if (!inputShape && isObject(config)) inputShape = dropBatch(config.build_input_shape);
  if (!inputShape && isObject(root.build_config)) inputShape = dropBatch(root.build_config.input_shape);

  const model = new Sequential([], name, inputShape);
  try {
    for (const l of layers) model.add(l);
    return { model, built: model.build(), training: trainingFrom(training), warnings };
  } catch (e) {
    const msg = (e as Error).message;
    throw new KerasImportError(e instanceof ShapeError ? `layer '${e.layerName}': ${msg}` : msg);
  }
}

// What the .keras and .h5 readers and writers share: the layer list of a Keras JSON config, weights matched
// to a built model's parameters, compile settings in Keras's own spelling, and a refusal that names the file.
import type { BuiltModel, NamedWeight, TrainingConfig } from '../model';
import { KerasImportError } from './errors';
import { exportKerasJson } from './export-json';
import type { ImportResult } from './import-code';
import { importKerasJson } from './import-json';
import { isObject, type Json, type JsonObject } from './json-layers';

/** A model read from a file: what the JSON importer gives, plus the weights in Keras names and layouts. */
export interface ModelFileImport extends ImportResult {
  weights: NamedWeight[];
}

export const refuse = (fileName: string, why: string) => new KerasImportError(`${fileName}: ${why}`);

export function parseJson(text: string, fileName: string, what: string): JsonObject {
  let v: Json;
  try {
    v = JSON.parse(text) as Json;
  } catch (e) {
    throw refuse(fileName, `${what} is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(v)) throw refuse(fileName, `${what} is not a JSON object`);
  return v;
}

/** The model of a file's Keras JSON (`text`, read from `where` in the file); its errors refused as the file's. */
export function importModelJson(text: string, fileName: string, where: string): ImportResult {
  try {
    return importKerasJson(text);
  } catch (e) {
    throw refuse(fileName, `${where}: ${(e as Error).message}`);
  }
}

/** The Keras JSON of the built model as an object, for a writer to add its own keys to. */
export function modelJsonObject(built: BuiltModel): JsonObject {
  const config = JSON.parse(exportKerasJson(built)) as Json;
  if (!isObject(config)) throw new Error('exportKerasJson did not give a JSON object');
  return config;
}

export interface ConfigLayer {
  className: string;
  name: string | null;
}

/**
 * The layers of a model config whose weights the file stores, in Keras's `model.layers` order: Sequential
 * leaves its InputLayer out, Functional keeps them (they have no weights either way).
 */
export function configLayers(modelConfig: JsonObject): ConfigLayer[] {
  const cfg = modelConfig.config;
  const list = Array.isArray(cfg) ? cfg : isObject(cfg) && Array.isArray(cfg.layers) ? cfg.layers : [];
  const sequential = modelConfig.class_name === 'Sequential';
  const out: ConfigLayer[] = [];
  for (const l of list) {
    if (!isObject(l) || typeof l.class_name !== 'string') continue;
    if (sequential && l.class_name === 'InputLayer') continue;
    const c = isObject(l.config) ? l.config : {};
    out.push({ className: l.class_name, name: typeof c.name === 'string' ? c.name : null });
  }
  return out;
}

/** The built layer each config layer became: by name, else (names changed on import) by position. */
export function builtIndexOf(built: BuiltModel, layers: ConfigLayer[]): (number | null)[] {
  const byName = new Map(built.layers.map((l, i) => [l.layer.config.name, i]));
  const named = layers.filter((l) => l.className !== 'InputLayer');
  const allNamed = named.every((l) => l.name !== null && byName.has(l.name));
  let next = 0;
  return layers.map((l) => {
    if (l.className === 'InputLayer') return null;
    return allNamed ? byName.get(l.name!)! : next++;
  });
}

/**
 * Checks `arrays` (a layer's stored weights, in Keras's order: trainable then non-trainable) against the
 * built layer's parameters and names them `${layer}/${param}`.
 */
export function layerWeights(
  built: BuiltModel,
  index: number,
  arrays: { shape: number[]; data: Float32Array; where: string }[],
  fileName: string,
): NamedWeight[] {
  const l = built.layers[index];
  const name = l.layer.config.name;
  if (arrays.length !== l.params.length) {
    throw refuse(
      fileName,
      `layer '${name}' has ${l.params.length} weight arrays in the model config but ${arrays.length} in the ` +
        'weights; the file is inconsistent (was it edited by hand?)',
    );
  }
  return l.params.map((p, i) => {
    const a = arrays[i];
    if (a.shape.join() !== p.shape.join()) {
      throw refuse(
        fileName,
        `${a.where} has shape (${a.shape.join(', ')}) but ${name}/${p.name} needs (${p.shape.join(', ')})`,
      );
    }
    for (let j = 0; j < a.data.length; j++) {
      if (!Number.isFinite(a.data[j])) {
        throw refuse(fileName, `${a.where} holds a non-finite value (${a.data[j]}) at index ${j}`);
      }
    }
    return { name: `${name}/${p.name}`, shape: [...p.shape], data: a.data };
  });
}

/** Every parameter of the model, in order, from `weights` (by Keras name). */
export function orderedWeights(built: BuiltModel, weights: readonly NamedWeight[]): NamedWeight[][] {
  const byName = new Map(weights.map((w) => [w.name, w]));
  return built.layers.map((l) =>
    l.params.map((p) => {
      const name = `${l.layer.config.name}/${p.name}`;
      const w = byName.get(name);
      if (!w) throw new Error(`weights for '${name}' are missing; train or load the model first`);
      if (w.shape.join() !== p.shape.join()) {
        throw new Error(`'${name}' has shape [${w.shape}]; the model needs [${p.shape}]`);
      }
      return w;
    }),
  );
}

const OPTIMIZER_CLASS = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' } as const;

/** The optimizer as Keras serializes it: Keras 3 adds module/registered_name, Keras 2 does not. */
export function optimizerJson(training: TrainingConfig, keras3: boolean): JsonObject {
  const { name, ...rest } = training.optimizer;
  const config: JsonObject = { name, ...(JSON.parse(JSON.stringify(rest)) as JsonObject) };
  if (name === 'adam') config.amsgrad = false;
  const className = OPTIMIZER_CLASS[name];
  return keras3
    ? { module: 'keras.optimizers', class_name: className, config, registered_name: null }
    : { class_name: className, config };
}

/** The loss: its string name, or the class form when from_logits=True (a string cannot say that). */
export function lossJson(training: TrainingConfig, keras3: boolean): Json {
  if (!training.from_logits) return training.loss;
  const className = training.loss
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  const config: JsonObject = { name: training.loss, reduction: 'sum_over_batch_size', from_logits: true };
  return keras3
    ? { module: 'keras.losses', class_name: className, config, registered_name: null }
    : { class_name: className, config };
}

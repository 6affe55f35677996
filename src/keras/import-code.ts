// Keras Python code -> Paperweight model, by reading the @lezer/python syntax tree (never running it):
// trailing-dot floats completed, syntax checked, calls that would run something refused, then CodeReader finds
// the models and this file picks one and builds it, with errors and notes placed in the pasted text.
import { parser } from '@lezer/python';
import { type BuiltModel, type Functional, Sequential, ShapeError, type TrainingConfig } from '../model';
import { CodeReader, type ModelRecord } from './code-reader';
import { errorAt, KerasImportError } from './errors';
import { readFunctionalCode } from './import-functional';
import { refuseExecution } from './refuse-exec';
import { checkSyntax, completeTrailingDotFloats } from './syntax';

export interface ImportResult {
  model: Sequential | Functional;
  built: BuiltModel;
  training: Partial<TrainingConfig>;
  warnings: string[];
}

function chooseModel(reader: CodeReader): ModelRecord {
  if (!reader.records.some((r) => r.layers.length > 0)) reader.readUncalled();
  const withLayers = reader.records.filter((r) => r.layers.length > 0);
  const used = withLayers.filter((r) => r.used);
  const chosen = used[used.length - 1] ?? withLayers[withLayers.length - 1];
  if (!chosen) {
    if (reader.functional) {
      throw errorAt(
        reader.source,
        reader.functional.from,
        'this keras.Model(...) could not be read: give it the tensors of a graph built in the code, e.g. ' +
          'inputs = keras.Input(shape=(28, 28, 1)); x = layers.Flatten()(inputs); outputs = layers.Dense(10)(x); ' +
          'keras.Model(inputs, outputs)',
      );
    }
    const sub = reader.subclassedModel();
    if (sub?.base === 'torch') {
      throw errorAt(
        reader.source,
        sub.node.from,
        `class ${sub.name} is a PyTorch nn.Module, not Keras; Paperweight reads Keras code: write the network ` +
          'as keras.Sequential([...]) (nn.Conv2d -> layers.Conv2D, nn.Linear -> layers.Dense, nn.MaxPool2d -> ' +
          'layers.MaxPooling2D, nn.ReLU -> layers.ReLU)',
      );
    }
    if (sub) {
      throw errorAt(
        reader.source,
        sub.node.from,
        `class ${sub.name} subclasses keras.Model: its layers are connected in call(), which only running the ` +
          'code would show; write the network as keras.Sequential([...]), model.add(...) lines or the ' +
          'functional API (x = layers.Dense(10)(x) ... keras.Model(inputs, outputs))',
      );
    }
    throw new KerasImportError(
      'no Keras model found; write model = keras.Sequential([...]), model.add(Layer(...)) lines or the ' +
        'functional API (inputs = keras.Input(shape=...) ... model = keras.Model(inputs, outputs))',
    );
  }
  if (withLayers.length > 1) {
    reader.ctx.warnings.push(
      `found ${withLayers.length} models; imported the one at line ${reader.source.slice(0, chosen.at.from).split('\n').length}`,
    );
  }
  return chosen;
}

function build(reader: CodeReader, record: ModelRecord): { model: Sequential; built: BuiltModel } {
  const model = new Sequential([], record.name, record.inputShape);
  for (const { layer, at } of record.layers) {
    try {
      model.add(layer);
    } catch (e) {
      throw errorAt(reader.source, at.from, (e as Error).message);
    }
  }
  try {
    return { model, built: model.build() };
  } catch (e) {
    if (e instanceof ShapeError) {
      const i = model.layers.findIndex((l) => l.config.name === e.layerName);
      const at = record.layers[Math.max(0, i)].at;
      throw errorAt(reader.source, at.from, e.message);
    }
    throw errorAt(reader.source, record.layers[0].at.from, (e as Error).message);
  }
}

/** Removes the indentation common to every line (code pasted from inside a function); returns its width. */
function dedent(source: string): { text: string; indent: number } {
  const lines = source.split('\n');
  const widths = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const indent = widths.length ? Math.min(...widths) : 0;
  if (indent === 0) return { text: source, indent };
  return { text: lines.map((l) => l.slice(Math.min(indent, l.length))).join('\n'), indent };
}

export function importKerasCode(source: string): ImportResult {
  const { text: dedented, indent } = dedent(source.replace(/\r\n?/g, '\n'));
  const patch = completeTrailingDotFloats(dedented);
  const text = patch.text;
  // Messages are placed in the read text; put them back where they are in the pasted one.
  const column = (line: number, col: number) => patch.column(line, col) + indent;
  try {
    const tree = parser.parse(text);
    checkSyntax(text, tree);
    refuseExecution(text, tree);
    const reader = new CodeReader(text);
    reader.body(tree.topNode);
    // keras.Model(inputs, outputs): the functional API, unless a Sequential model is the one compiled.
    const functional = readFunctionalCode(text, tree, reader);
    const sequentialUsed = reader.records.some((r) => r.layers.length > 0 && r.used);
    let result: Omit<ImportResult, 'warnings'> & { notes: string[] };
    if (functional && (functional.found.used || !sequentialUsed)) {
      result = { ...functional.build(), training: functional.found.training, notes: functional.warnings };
    } else {
      const record = chooseModel(reader);
      result = { ...build(reader, record), training: reader.training, notes: reader.ctx.warnings };
    }
    const { model, built, training } = result;
    const warnings = result.notes.map((w) =>
      w.replace(/^line (\d+), column (\d+): /, (_, l: string, c: string) => {
        return `line ${l}, column ${column(Number(l), Number(c))}: `;
      }),
    );
    return { model, built, training, warnings };
  } catch (e) {
    if (e instanceof KerasImportError && e.line !== null && e.column !== null) {
      const plain = e.message.replace(/^line \d+, column \d+: /, '');
      throw new KerasImportError(plain, e.line, column(e.line, e.column));
    }
    throw e;
  }
}

// The functional API in Keras code, read from the syntax tree (never run): keras.Input(shape=...), layers
// called on tensors (Conv2D(16, 3)(x)), layer objects called later (conv = Conv2D(...); y = conv(x)), merge
// layers on lists (Add()([x, y]), layers.concatenate([a, b])), helper functions that take and return tensors
// (def block(x, filters): ...), and keras.Model(inputs, outputs) with one input and one output. The graph the
// output depends on becomes a Functional model in Keras's layer order.
import type { SyntaxNode, Tree } from '@lezer/common';
import { assignName, type BuiltModel, type Functional, type Layer, ShapeError } from '../model';
import { splitActivationObject } from './activation-objects';
import type { ArgContext } from './args';
import { isLayerName, layerFromCall } from './code-layers';
import { readCompile, readFit } from './code-training';
import { errorAt, oneInputOneOutput, sharedLayer } from './errors';
import { type Entry, type FunctionalFound, graphToModel, type ModelEntry } from './functional-graph';
import { argNodes, builtin, StatementWalker } from './functional-walker';
import {
  rewriteLegacyCall,
  rewriteLegacyCompile,
  rewriteLegacyFit,
  rewriteLegacyModelKeywords,
} from './legacy';
import {
  baseName,
  type CallValue,
  type Scope,
  type Span,
  type Value,
  type ValueReader,
} from './python-values';

/** A Sequential model the Sequential reader found (data_augmentation = keras.Sequential([...])). */
export interface SequentialRecord {
  layers: { layer: Layer }[];
}

interface LayerObject {
  layer: Layer;
  /** The activation object split off `activation=LeakyReLU(...)`, applied right after. */
  then: Layer | null;
  at: Span;
  calledAt: Span | null;
}

const MERGE_FUNCTIONS: Record<string, string> = {
  add: 'Add',
  subtract: 'Subtract',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  concatenate: 'Concatenate',
};
const INPUT_NAMES = ['Input', 'InputLayer'];
const MAX_DEPTH = 8;

type Returned = { tensor: number } | { model: ModelEntry };

export class FunctionalReader extends StatementWalker<Returned> {
  private readonly entries: Entry[] = [];
  private readonly frames: Map<string, number>[] = [new Map()];
  private readonly objects = new Map<string, LayerObject>();
  private readonly models = new Map<string, ModelEntry>();
  private readonly found: ModelEntry[] = [];
  private readonly defs = new Map<string, SyntaxNode>();
  private readonly called = new Set<SyntaxNode>();
  private readonly taken = new Set<string>();
  private readonly calledModels = new Set<string>();
  private readonly opaque = new Map<string, { text: string; at: Span }>();
  private readonly suffixes = new Map<string, number>();
  private depth = 0;

  constructor(
    source: string,
    values: ValueReader,
    scope: Scope,
    ctx: ArgContext,
    /** Sequential models the code built, by variable: called on a tensor, their layers join the graph. */
    private readonly sequentials: Map<string, SequentialRecord> = new Map(),
  ) {
    super(source, values, scope, ctx);
  }

  protected define(name: string, def: SyntaxNode): void {
    this.defs.set(name, def);
  }

  protected returns(v: SyntaxNode): void {
    const called = this.defCall(v);
    if (called) {
      this.returned = called.result ?? this.returned;
      return;
    }
    const model = this.modelOf(v);
    if (model) this.returned = { model };
    else {
      const t = this.tensorOf(v);
      if (t !== null) this.returned = { tensor: t };
    }
  }

  protected unbind(name: string): void {
    this.frames[this.frames.length - 1].delete(name);
  }

  /** The model the code builds: the last one compiled or fitted, else the last one made; null if none. */
  result(): FunctionalFound | null {
    if (this.found.length === 0) {
      for (const def of this.defs.values()) if (!this.called.has(def)) this.inline(def, null);
    }
    const m = [...this.found].reverse().find((f) => f.used) ?? this.found[this.found.length - 1];
    if (!m) return null;
    return this.toModel(m);
  }

  protected assign(n: SyntaxNode): void {
    const value = n.lastChild;
    if (!value) return;
    const targets: string[] = [];
    for (let c = n.firstChild; c && c !== value; c = c.nextSibling) {
      if (c.name === 'VariableName') targets.push(this.text(c));
    }
    if (targets.length === 0) return;
    const frame = this.frames[this.frames.length - 1];
    const called = this.defCall(value);
    if (called) {
      const r = called.result;
      for (const t of targets) {
        if (r && 'model' in r) this.models.set(t, r.model);
        else if (r && 'tensor' in r) frame.set(t, r.tensor);
      }
      return;
    }
    const model = this.modelOf(value);
    if (model) {
      for (const t of targets) this.models.set(t, model);
      return;
    }
    const object = this.layerObject(value);
    if (object) {
      for (const t of targets) this.objects.set(t, object);
      return;
    }
    const tensor = this.tensorOf(value);
    const opaque = tensor === null && this.readsTensor(value) ? { text: this.text(value), at: value } : null;
    for (const t of targets) {
      if (opaque) this.opaque.set(t, opaque);
      else this.opaque.delete(t);
      if (tensor !== null) frame.set(t, tensor);
      else {
        frame.delete(t);
        // Constants as the code reaches them (num_filters = 16 before a loop doubles it).
        this.scope.set(t, builtin(this.safeRead(value)));
      }
    }
  }

  /** model.compile(...) / model.fit(...) on a functional model; calls that build tensors are read too. */
  protected expression(n: SyntaxNode): void {
    const callee = n.firstChild;
    if (callee?.name === 'MemberExpression') {
      const obj = callee.firstChild;
      const method = callee.lastChild ? this.text(callee.lastChild) : '';
      const model = obj?.name === 'VariableName' ? this.models.get(this.text(obj)) : undefined;
      if (model && (method === 'compile' || method === 'fit')) {
        let call = this.values.call(n) as CallValue;
        model.used = true;
        if (method === 'compile') {
          call = rewriteLegacyCompile(call, this.ctx);
          readCompile(call, model.training, this.ctx);
        } else {
          call = rewriteLegacyFit(call, this.ctx);
          readFit(call, model.training, this.ctx);
        }
        return;
      }
    }
    if (!this.defCall(n) && !this.modelOf(n)) this.tensorOf(n);
  }

  /** A call of a function in the code, read once: what it returns (a model or a tensor). */
  private defCall(n: SyntaxNode): { result: Returned | null } | null {
    if (n.name !== 'CallExpression' || !n.firstChild) return null;
    const callee = this.values.dotted(n.firstChild);
    const def = callee === null ? undefined : this.defs.get(callee);
    if (!def) return null;
    const before = this.found.length;
    const result = this.inline(def, n);
    // build() that makes a model and does not return it still made one.
    if (!result && this.found.length > before)
      return { result: { model: this.found[this.found.length - 1] } };
    return { result };
  }

  private lookup(name: string): number | null {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const t = this.frames[i].get(name);
      if (t !== undefined) return t;
    }
    return null;
  }

  private name(layer: Layer, at: Span): Layer {
    try {
      const named = assignName(layer, this.taken, this.suffixes);
      this.taken.add(named.config.name);
      return named;
    } catch (e) {
      return this.fail(at, (e as Error).message);
    }
  }

  /** A layer constructor call: the named layer (and the activation layer split off it). */
  private makeLayer(callNode: SyntaxNode): { layer: Layer; then: Layer | null } | null {
    const calleeNode = callNode.firstChild;
    const callee = calleeNode ? this.values.dotted(calleeNode) : null;
    if (!callee || INPUT_NAMES.includes(baseName(callee)) || !isLayerName(baseName(callee))) return null;
    if (this.loopDepth > 0) {
      this.fail(
        callNode,
        'layers made in a loop over what only running the code gives cannot be read; write each call out',
      );
    }
    const call = this.values.call(callNode) as CallValue;
    const split = splitActivationObject(rewriteLegacyCall(call, this.ctx), this.ctx);
    const { layer } = layerFromCall(split.call, this.ctx);
    if (!layer) return null;
    const at = { from: callNode.from, to: callNode.to };
    const named = this.name(layer, at);
    let then: Layer | null = null;
    if (split.activation) {
      const act = layerFromCall(split.activation, this.ctx).layer;
      if (act) then = this.name(act, at);
    }
    return { layer: named, then };
  }

  /** `conv = Conv2D(...)`: a layer object to be called later. */
  private layerObject(n: SyntaxNode): LayerObject | null {
    if (n.name !== 'CallExpression' || n.firstChild?.name === 'CallExpression') return null;
    const made = this.makeLayer(n);
    return made ? { ...made, at: { from: n.from, to: n.to }, calledAt: null } : null;
  }

  /** keras.Model(inputs, outputs, name=...): the model, or null when `n` is not such a call. */
  private modelOf(n: SyntaxNode): ModelEntry | null {
    if (n.name === 'VariableName') return this.models.get(this.text(n)) ?? null;
    if (n.name !== 'CallExpression' || !n.firstChild) return null;
    const callee = this.values.dotted(n.firstChild);
    if (callee === null) return null;
    const base = baseName(callee);
    if (base !== 'Model' && base !== 'Functional') return null;
    const { positional, keywords } = argNodes(n, (x) => this.text(x));
    rewriteLegacyModelKeywords(keywords, base, this.ctx);
    const inputsNode = keywords.get('inputs') ?? positional[0];
    const outputsNode = keywords.get('outputs') ?? positional[1];
    const at = { from: n.from, to: n.to };
    if (!inputsNode || !outputsNode)
      this.fail(at, `${base} needs inputs and outputs: ${base}(inputs, outputs)`);
    const input = this.single(inputsNode, 'input');
    const output = this.single(outputsNode, 'output');
    if (this.entries[input]?.kind !== 'input') {
      this.fail(inputsNode, `${base}: inputs must be the tensor of keras.Input(shape=...)`);
    }
    const nameNode = keywords.get('name');
    const nameValue = nameNode ? this.safeRead(nameNode) : null;
    const name = nameValue?.kind === 'str' ? nameValue.value : 'functional';
    const model: ModelEntry = { name, input, output, at, used: false, training: {} };
    this.found.push(model);
    return model;
  }

  /** One tensor, also written as a list or tuple of one; more are refused. */
  /** Whether an expression mentions a tensor variable (tf.nn.relu(x), base_model(inputs), x[:, 0]). */
  private readsTensor(n: SyntaxNode): boolean {
    let found = false;
    n.cursor().iterate((c) => {
      if (found) return false;
      if (c.name === 'VariableName' && this.lookup(this.source.slice(c.from, c.to)) !== null) found = true;
      return undefined;
    });
    return found;
  }

  /** Why a name is not a tensor, when it was made from one by something Paperweight does not read. */
  private why(n: SyntaxNode): string {
    const o = n.name === 'VariableName' ? this.opaque.get(this.text(n)) : undefined;
    if (!o) return '';
    const line = this.source.slice(0, o.at.from).split('\n').length;
    return (
      ` ('${this.text(n)}' is ${o.text.length > 60 ? `${o.text.slice(0, 57)}...` : o.text} at line ${line}: not a ` +
      'Keras layer call, but a TensorFlow op, a pretrained keras.applications model or a function Paperweight ' +
      'cannot follow; write that step as a layer, e.g. layers.Activation("relu")(x))'
    );
  }

  private single(n: SyntaxNode, what: 'input' | 'output'): number {
    let node = n;
    if (
      n.name === 'ArrayExpression' ||
      n.name === 'TupleExpression' ||
      n.name === 'ParenthesizedExpression'
    ) {
      const items = this.values.children(n);
      if (items.length !== 1) {
        this.fail(n, oneInputOneOutput(items.length, what));
      }
      node = items[0];
    }
    if (node.name === 'DictionaryExpression') {
      this.fail(n, `${what}s given as a dict are not supported; pass the one ${what} tensor`);
    }
    const t = this.tensorOf(node);
    if (t === null) {
      this.fail(
        node,
        `cannot read the ${what} '${this.text(node)}' as a tensor: it must come from keras.Input(...) or a ` +
          `layer call such as Dense(10)(x)${this.why(node)}`,
      );
    }
    return t;
  }

  /** The tensor an expression gives, or null when it is not a tensor expression. */
  private tensorOf(n: SyntaxNode): number | null {
    if (n.name === 'VariableName') return this.lookup(this.text(n));
    if (n.name === 'ParenthesizedExpression') {
      const inner = this.values.children(n);
      return inner.length === 1 ? this.tensorOf(inner[0]) : null;
    }
    if (n.name !== 'CallExpression' || !n.firstChild) return null;
    const calleeNode = n.firstChild;
    const at = { from: n.from, to: n.to };
    if (calleeNode.name === 'CallExpression') {
      // Conv2D(16, 3)(x): a layer made and called at once.
      const made = this.makeLayer(calleeNode);
      if (!made) return null;
      return this.apply(made.layer, made.then, n, at);
    }
    const callee = this.values.dotted(calleeNode);
    if (callee === null) return null;
    const base = baseName(callee);
    if (INPUT_NAMES.includes(base) && (callee === base || /(^|\.)(keras|layers)\./.test(callee))) {
      return this.input(n, at);
    }
    const object = calleeNode.name === 'VariableName' ? this.objects.get(callee) : undefined;
    if (object) {
      if (object.calledAt) {
        this.fail(
          at,
          sharedLayer(
            `layer ${object.layer.config.name} is called twice`,
            'make a second layer for the second call',
          ),
        );
      }
      object.calledAt = at;
      return this.apply(object.layer, object.then, n, at);
    }
    const sequential = calleeNode.name === 'VariableName' ? this.sequentials.get(callee) : undefined;
    if (sequential && sequential.layers.length > 0) return this.applySequential(callee, sequential, n, at);
    const merge = MERGE_FUNCTIONS[base];
    if (merge && (callee === base || /(^|\.)layers\./.test(callee))) {
      const { positional, keywords } = argNodes(n, (x) => this.text(x));
      const axisNode = keywords.get('axis');
      const axis = axisNode ? this.safeRead(axisNode) : null;
      if (axisNode && (axis?.kind !== 'num' || !Number.isInteger(axis.value))) {
        this.fail(axisNode, `${base}: axis must be an integer`);
      }
      const layer: Layer =
        merge === 'Concatenate'
          ? { className: 'Concatenate', config: { name: '', axis: axis?.kind === 'num' ? axis.value : -1 } }
          : ({ className: merge, config: { name: '' } } as Layer);
      const nameNode = keywords.get('name');
      const nameValue = nameNode ? this.safeRead(nameNode) : null;
      if (nameValue?.kind === 'str') layer.config.name = nameValue.value;
      if (!positional[0]) this.fail(at, `${base} needs a list of tensors, e.g. ${base}([x, y])`);
      return this.connect(this.name(layer, at), null, this.tensorList(positional[0], layer), at);
    }
    const def = this.defs.get(callee);
    if (def) {
      const r = this.inline(def, n);
      return r && 'tensor' in r ? r.tensor : null;
    }
    return null;
  }

  private input(n: SyntaxNode, at: Span): number {
    const call = this.values.call(n) as CallValue;
    const { inputShape } = layerFromCall(call, this.ctx);
    const nameValue = call.kwargs.find((k) => k.name === 'name')?.value;
    const named = this.name(
      {
        className: 'InputLayer',
        config: { name: nameValue?.kind === 'str' ? nameValue.value : '', shape: inputShape ?? [] },
      },
      at,
    );
    this.entries.push({ kind: 'input', name: named.config.name, shape: inputShape ?? [], at });
    return this.entries.length - 1;
  }

  /** The tensors of a layer call's argument: one tensor, or a list for merge layers. */
  private tensorList(arg: SyntaxNode, layer: Layer): number[] {
    const items =
      arg.name === 'ArrayExpression' || arg.name === 'TupleExpression' ? this.values.children(arg) : [arg];
    return items.map((item) => {
      const t = this.tensorOf(item);
      if (t === null) {
        this.fail(
          item,
          `${layer.config.name} (${layer.className}) is called on '${this.text(item)}', which is not a tensor ` +
            `from keras.Input(...) or a layer call; Paperweight reads calls such as Dense(10)(x)${this.why(item)}`,
        );
      }
      return t;
    });
  }

  private apply(layer: Layer, then: Layer | null, call: SyntaxNode, at: Span): number {
    const { positional } = argNodes(call, (x) => this.text(x));
    if (positional.length !== 1) {
      this.fail(
        at,
        `${layer.config.name} must be called on one tensor or one list of tensors, e.g. layer(x)`,
      );
    }
    return this.connect(layer, then, this.tensorList(positional[0], layer), at);
  }

  /**
   * data_augmentation(inputs): a Sequential model called on a tensor. Its layers join the graph one after
   * another (Keras shows them nested in one row; the parameters and the computation are the same).
   */
  private applySequential(name: string, model: SequentialRecord, call: SyntaxNode, at: Span): number {
    if (this.calledModels.has(name)) {
      this.fail(at, sharedLayer(`model ${name} is called twice`, 'build a second model for the second call'));
    }
    this.calledModels.add(name);
    const { positional } = argNodes(call, (x) => this.text(x));
    const first = structuredClone(model.layers[0].layer);
    if (positional.length !== 1) this.fail(at, `${name} must be called on one tensor, e.g. ${name}(x)`);
    let t = this.tensorList(positional[0], first)[0];
    for (const { layer } of model.layers)
      t = this.connect(this.name(structuredClone(layer), at), null, [t], at);
    this.ctx.warnings.push(
      `line ${this.source.slice(0, at.from).split('\n').length}: ${name}(...) is a Sequential model called on a ` +
        "tensor: its layers are read into this model one by one (Keras's summary shows them as one row)",
    );
    return t;
  }

  private connect(layer: Layer, then: Layer | null, inbound: number[], at: Span): number {
    if (this.loopDepth > 0) {
      this.fail(at, 'layers called in a loop cannot be read without running the code; write each call out');
    }
    this.entries.push({ kind: 'layer', layer, inbound, at });
    const t = this.entries.length - 1;
    if (!then) return t;
    this.entries.push({ kind: 'layer', layer: then, inbound: [t], at });
    return this.entries.length - 1;
  }

  /**
   * Reads a function's body as called by `call` (or with its defaults): tensor arguments bind to its
   * parameters, other arguments to the constants it reads. Returns what it returns.
   */
  private inline(def: SyntaxNode, call: SyntaxNode | null): Returned | null {
    if (this.depth >= MAX_DEPTH) return null;
    this.called.add(def);
    const params: { name: string; fallback: SyntaxNode | null }[] = [];
    let starred = false;
    for (let c = def.getChild('ParamList')?.firstChild; c; c = c.nextSibling) {
      if (c.name === '*' || c.name === '**') starred = true;
      else if (c.name === ',') starred = false;
      else if (c.name === 'VariableName' && !starred) {
        const eq = c.nextSibling;
        params.push({ name: this.text(c), fallback: eq?.name === 'AssignOp' ? eq.nextSibling : null });
      }
    }
    const args = call ? argNodes(call, (x) => this.text(x)) : { positional: [], keywords: new Map() };
    const frame = new Map<string, number>();
    const saved = new Map<string, Value | undefined>();
    // Arguments are read in the caller's scope before any parameter is bound (f(num_filters=num_filters)).
    const bound = params.map((p, i) => {
      const node = args.keywords.get(p.name) ?? args.positional[i] ?? p.fallback;
      if (!node) return { name: p.name, tensor: null, value: null };
      const tensor = this.tensorOf(node);
      return { name: p.name, tensor, value: tensor === null ? builtin(this.safeRead(node)) : null };
    });
    for (const b of bound) {
      saved.set(b.name, this.scope.get(b.name));
      this.scope.delete(b.name);
      if (b.tensor !== null) frame.set(b.name, b.tensor);
      else if (b.value) this.scope.set(b.name, b.value);
    }
    this.frames.push(frame);
    this.depth++;
    return this.callBody(def, () => {
      this.depth--;
      this.frames.pop();
      for (const [k, v] of saved) {
        if (v) this.scope.set(k, v);
        else this.scope.delete(k);
      }
    });
  }

  /** The layers the output depends on, in Keras's order, as a Functional model. */

  private toModel(m: ModelEntry): FunctionalFound {
    return graphToModel(this.entries, m, (at, message) => this.fail(at, message));
  }
}

/**
 * The functional model of the code, when it calls keras.Model(...): read with its own notes (the Sequential
 * reader has its own), built, with errors placed at the call of the layer that breaks.
 */
export function readFunctionalCode(
  source: string,
  tree: Tree,
  reader: { values: ValueReader; scope: Scope; models?: Map<string, SequentialRecord> },
) {
  if (!/\b(Model|Functional)\s*\(/.test(source)) return null;
  const ctx: ArgContext = { source, warnings: [] };
  const f = new FunctionalReader(source, reader.values, reader.scope, ctx, reader.models);
  f.body(tree.topNode);
  const found = f.result();
  if (!found) return null;
  return {
    found,
    // A helper function called for every block repeats its notes: say each once.
    warnings: [...new Set(ctx.warnings)],
    build: (): { model: Functional; built: BuiltModel } => {
      try {
        return { model: found.model, built: found.model.build() };
      } catch (e) {
        const at = e instanceof ShapeError ? (found.spans.get(e.layerName) ?? found.at) : found.at;
        throw errorAt(source, at.from, (e as Error).message);
      }
    },
  };
}

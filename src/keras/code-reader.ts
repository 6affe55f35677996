// Walks the statements of Keras Python code (never running them) to find the Sequential models it builds:
// Sequential([...]), model.add(...), model.build, compile and fit, literal assignments (num_classes = 10),
// functions called with their arguments (or their defaults), and classes (self.model, Sequential subclasses).
import type { SyntaxNode } from '@lezer/common';
import type { TrainingConfig } from '../model';
import { splitActivationObject } from './activation-objects';
import { bindArgs } from './args';
import { layerFromCall } from './code-layers';
import { type ModelRecord, ScopeWalker } from './code-scope';
import { readCompile, readFit } from './code-training';
import { errorAt, sharedLayer } from './errors';
import { rewriteLegacyCall, rewriteLegacyCompile, rewriteLegacyFit } from './legacy';
import { baseName, type CallValue, type Span, type Value } from './python-values';

export type { ModelRecord } from './code-scope';

export class CodeReader extends ScopeWalker {
  readonly training: Partial<TrainingConfig> = {};
  functional: Span | null = null;
  /**
   * The layer calls each model holds, by their argument list: reading a variable copies its bound call
   * ({...bound, at}) but keeps the list, so one list is one layer object however often the code names it.
   */
  private readonly added = new WeakMap<ModelRecord, Set<Value[]>>();

  statement(n: SyntaxNode): void {
    switch (n.name) {
      case 'AssignStatement':
        this.assign(n);
        break;
      case 'ExpressionStatement':
        for (let c = n.firstChild; c; c = c.nextSibling)
          if (c.name === 'CallExpression') this.callStatement(c);
        break;
      case 'FunctionDefinition': {
        const name = n.getChild('VariableName');
        if (name) this.defs.set(this.values.text(name), n);
        break;
      }
      case 'ClassDefinition':
        this.classDef(n);
        break;
      case 'ImportStatement':
        // from keras.layers import Conv2D as C2D: calls of C2D(...) are Conv2D calls.
        for (let c = n.getChild('import'); c; c = c.nextSibling) {
          const alias = c.nextSibling?.name === 'as' ? c.nextSibling.nextSibling : null;
          if (c.name === 'VariableName' && alias?.name === 'VariableName' && n.getChild('from')) {
            this.values.imported.set(this.values.text(alias), this.values.text(c));
          }
        }
        break;
      case 'ReturnStatement': {
        const v = n.lastChild;
        const name = v ? this.values.dotted(v) : null;
        if (name !== null) this.returned = this.models.get(name) ?? this.returned;
        else if (v?.name === 'CallExpression') this.returned = this.modelFromCall(v) ?? this.returned;
        break;
      }
      default:
        this.control(n);
        break;
    }
  }

  private assign(n: SyntaxNode): void {
    // `a = b = value`, `h, w = 32, 64`: groups of nodes between the = signs; the last group is the value.
    const groups: SyntaxNode[][] = [[]];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'AssignOp') groups.push([]);
      else if (c.name !== ',' && c.name !== 'TypeDef') groups[groups.length - 1].push(c);
    }
    const valueNodes = groups.pop() ?? [];
    if (groups.length === 0 || valueNodes.length === 0) return;
    const targets: string[] = [];
    const unpacked: SyntaxNode[][] = [];
    for (const g of groups) {
      const name = g.length === 1 ? this.targetName(g[0]) : null;
      if (name !== null) targets.push(name);
      else unpacked.push(g.length === 1 ? this.values.children(g[0]) : g);
    }
    if (valueNodes.length > 1) {
      const v: Value = {
        kind: 'seq',
        items: valueNodes.map((x) => this.safeRead(x)),
        tuple: true,
        at: { from: valueNodes[0].from, to: valueNodes[valueNodes.length - 1].to },
      };
      this.bind(targets, unpacked, v);
      return;
    }
    const value = valueNodes[0];
    const cls = value.name === 'CallExpression' && value.firstChild ? this.classOf(value.firstChild) : null;
    if (cls && cls.base !== 'sequential') {
      this.instantiate(cls, this.values.call(value) as CallValue, targets);
      return;
    }
    if (value.name === 'CallExpression') {
      const record = this.modelFromCall(value);
      if (record) {
        for (const t of targets) {
          this.models.set(t, record);
          this.scope.delete(t);
        }
        return;
      }
      this.callStatement(value);
    }
    this.bind(targets, unpacked, this.safeRead(value));
  }

  private targetName(n: SyntaxNode): string | null {
    return n.name === 'VariableName' || n.name === 'MemberExpression' ? this.values.dotted(n) : null;
  }

  /** Names take the value; unpacked targets (h, w = ... / (a, b), c = ...) take its items when counts match. */
  private bind(targets: string[], unpacked: SyntaxNode[][], v: Value): void {
    for (const t of targets) {
      this.models.delete(t);
      this.scope.set(t, v);
    }
    for (const nodes of unpacked) this.unpack(nodes, v);
  }

  private unpack(nodes: SyntaxNode[], v: Value | undefined): void {
    nodes.forEach((x, i) => {
      const item = v?.kind === 'seq' && v.items.length === nodes.length ? v.items[i] : undefined;
      const name = this.targetName(x);
      if (name !== null) {
        this.models.delete(name);
        this.scope.set(
          name,
          item ?? { kind: 'other', text: this.values.text(x), at: { from: x.from, to: x.to } },
        );
      } else if (/^(Tuple|Array|Parenthesized)Expression$/.test(x.name)) {
        this.unpack(this.values.children(x), item);
      }
    });
  }

  /** Sequential(...) makes a model; build_model() returns the one its function built. */
  private modelFromCall(n: SyntaxNode): ModelRecord | null {
    const written = n.firstChild ? this.values.dotted(n.firstChild) : null;
    if (!written) return null;
    const callee = this.values.imported.get(written) ?? written;
    const base = baseName(callee);
    if (base === 'Model' || base === 'Functional') {
      this.functional ??= { from: n.from, to: n.to };
      return null;
    }
    const cls = this.classes.get(callee);
    if (cls) return this.instantiate(cls, this.values.call(n) as CallValue, []);
    const fn = this.callable(callee);
    if (fn) return this.callKnown(fn, this.values.call(n) as CallValue);
    if (base !== 'Sequential') return null;
    const call = this.values.call(n) as CallValue;
    const a = bindArgs('Sequential', call, ['layers', 'trainable', 'name'], [], this.ctx);
    const record = this.newModel(a.str('name') ?? 'sequential', call.at);
    const layers = a.get('layers');
    if (layers && layers.kind !== 'none') {
      if (layers.kind !== 'seq') {
        return a.fail(
          layers.at,
          'Sequential: cannot read the layer list without running the code; write [Layer(...), ...]',
        );
      }
      for (const item of layers.items) this.addLayer(record, item);
    }
    return record;
  }

  protected newModel(name: string, at: Span): ModelRecord {
    const record: ModelRecord = { name, layers: [], inputShape: null, at, used: false };
    this.records.push(record);
    return record;
  }

  /** `activationObject`: the LeakyReLU(...) of activation=, which Keras applies inside the layer it is given to. */
  private addLayer(record: ModelRecord, v: Value, activationObject = false): void {
    if (v.kind !== 'call') {
      throw errorAt(
        this.source,
        v.at.from,
        `cannot read the layer '${this.values.text(v.at)}' without running the code; write it as a layer call such as Dense(10)`,
      );
    }
    if (this.loopDepth > 0) {
      throw errorAt(
        this.source,
        v.at.from,
        'layers added in a loop over values only running the code would give cannot be read (Keras adds ' +
          'one per pass); loop over a literal list or range(n), or write each layer out',
      );
    }
    if (!activationObject) this.refuseShared(record, v);
    const split = splitActivationObject(rewriteLegacyCall(v, this.ctx), this.ctx);
    const { layer, inputShape } = layerFromCall(split.call, this.ctx);
    if (inputShape) {
      if (record.layers.length === 0 && !record.inputShape) record.inputShape = inputShape;
      else if (!layer) {
        throw errorAt(
          this.source,
          v.at.from,
          `${baseName(v.callee)}(shape=...) must come first in a Sequential model`,
        );
      } else {
        this.ctx.warnings.push(
          `line ${this.line(v.at)}: input_shape on a layer that is not the first one is ignored (as Keras does)`,
        );
      }
    }
    if (layer) record.layers.push({ layer, at: v.at });
    if (split.activation) this.addLayer(record, split.activation, true);
  }

  /** `d = Dense(8)` added twice is one layer twice in Keras (shared weights), not two layers. */
  private refuseShared(record: ModelRecord, v: CallValue): void {
    const added = this.added.get(record) ?? new Set<Value[]>();
    this.added.set(record, added);
    if (added.has(v.args)) {
      throw errorAt(
        this.source,
        v.at.from,
        sharedLayer(
          `layer '${this.values.text(v.at)}' is added to the model twice`,
          `make a second layer, e.g. ${baseName(v.callee)}(...)`,
        ),
      );
    }
    added.add(v.args);
  }

  /** model.add / compile / fit / build; other calls (print, model.summary, plotting) are left alone. */
  private callStatement(n: SyntaxNode): void {
    const callee = n.firstChild;
    const name = callee ? this.values.dotted(callee) : null;
    const fn = name === null ? null : this.callable(name);
    const cls = name === null ? undefined : this.classes.get(name);
    if (fn || cls) {
      // main(), self.build(), Net(): read what they build.
      this.modelFromCall(n);
      return;
    }
    if (callee?.name !== 'MemberExpression') {
      if (callee && /^(keras\.|tf\.keras\.)?(models\.)?Model$/.test(this.values.dotted(callee) ?? '')) {
        this.functional ??= { from: n.from, to: n.to };
      }
      return;
    }
    const obj = callee.firstChild;
    const method = callee.lastChild ? this.values.text(callee.lastChild) : '';
    const target = obj ? this.values.dotted(obj) : null;
    if (target === null) return;
    let record = this.models.get(target);
    if (!['add', 'compile', 'fit', 'build'].includes(method)) return;
    let call = this.values.call(n) as CallValue;
    if (method === 'fit') call = rewriteLegacyFit(call, this.ctx);
    if (method === 'compile') call = rewriteLegacyCompile(call, this.ctx);
    if (!record) {
      // A fragment of model.add(...) lines without `model = Sequential()`: start the model implicitly, but
      // only when the argument looks like a layer (not s.add(3) on a set).
      const first = call.args[0];
      if (method !== 'add' || first?.kind !== 'call' || !/^[A-Z]/.test(baseName(first.callee))) return;
      record = this.newModel('sequential', call.at);
      this.models.set(target, record);
    }
    if (method === 'add') {
      if (call.args.length !== 1 || call.kwargs.length > 0) {
        throw errorAt(
          this.source,
          call.at.from,
          `${target}.add takes one layer, e.g. ${target}.add(Dense(10))`,
        );
      }
      this.addLayer(record, call.args[0]);
    } else if (method === 'compile') {
      record.used = true;
      readCompile(call, this.training, this.ctx);
    } else if (method === 'fit') {
      record.used = true;
      readFit(call, this.training, this.ctx);
    } else {
      const a = bindArgs('build', call, ['input_shape'], [], this.ctx);
      const shape = a.shape('input_shape', true);
      if (shape) record.inputShape = shape;
    }
  }
}

// Walks the statements of Keras Python code (never running them) to find the Sequential models it builds:
// Sequential([...]), model.add(...), model.build, compile and fit, literal assignments (num_classes = 10),
// functions called with their arguments (or their defaults), and classes (self.model, Sequential subclasses).
import type { SyntaxNode } from '@lezer/common';
import type { Layer, TrainingConfig } from '../model';
import { splitActivationObject } from './activation-objects';
import { type ArgContext, bindArgs } from './args';
import { layerFromCall } from './code-layers';
import { readCompile, readFit } from './code-training';
import { truthOf } from './conditions';
import { errorAt } from './errors';
import { rewriteLegacyCall, rewriteLegacyCompile, rewriteLegacyFit } from './legacy';
import { hasJump, loopPasses } from './loops';
import { baseName, type CallValue, type Scope, type Span, type Value, ValueReader } from './python-values';

export interface ModelRecord {
  name: string;
  layers: { layer: Layer; at: Span }[];
  inputShape: number[] | null;
  at: Span;
  used: boolean;
}

/** A class in the code: its methods, and whether it is a Sequential (class Net(Sequential)) or a Model. */
interface ClassInfo {
  name: string;
  node: SyntaxNode;
  methods: Map<string, SyntaxNode>;
  /** @staticmethod methods: no self parameter. */
  statics: Set<string>;
  /** Sequential or keras.Model subclass; 'torch' for a PyTorch nn.Module pasted by mistake. */
  base: 'sequential' | 'model' | 'torch' | null;
  used: boolean;
}

interface Callable {
  def: SyntaxNode;
  cls: ClassInfo | null;
  /** Whether the first parameter is self / cls (not for functions and static methods). */
  bound: boolean;
  /** The variable holding the instance (net in net.build()), whose attributes the method sets. */
  instance: string | null;
}

const MAX_CALL_DEPTH = 8;
const MAX_STEPS = 100_000;

export class CodeReader {
  readonly scope: Scope = new Map();
  readonly values: ValueReader;
  readonly ctx: ArgContext;
  readonly models = new Map<string, ModelRecord>();
  readonly records: ModelRecord[] = [];
  /** Functions by name (build_model) and classes (class Net: ...), read when called or instantiated. */
  readonly defs = new Map<string, SyntaxNode>();
  readonly classes = new Map<string, ClassInfo>();
  /** Variables holding an instance of a class in the code: net = Net() -> Net. */
  private readonly instances = new Map<string, ClassInfo>();
  private readonly called = new Set<SyntaxNode>();
  private currentClass: ClassInfo | null = null;
  private callDepth = 0;
  private steps = 0;
  readonly training: Partial<TrainingConfig> = {};
  functional: Span | null = null;
  private loopDepth = 0;
  private returned: ModelRecord | null = null;

  constructor(readonly source: string) {
    this.values = new ValueReader(source, this.scope);
    this.ctx = { source, warnings: [] };
  }

  body(n: SyntaxNode): void {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      // Loops and calls are followed pass by pass: bound the work a pasted text can ask for.
      if (c.name !== ':' && c.name !== 'Comment' && ++this.steps > MAX_STEPS) {
        throw errorAt(
          this.source,
          c.from,
          `reading this code takes more than ${MAX_STEPS.toLocaleString('en-US')} steps (loops inside loops or ` +
            'functions calling each other); write the model out with fewer loops',
        );
      }
      this.statement(c);
    }
  }

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
      case 'ReturnStatement': {
        const v = n.lastChild;
        const name = v ? this.values.dotted(v) : null;
        if (name !== null) this.returned = this.models.get(name) ?? this.returned;
        else if (v?.name === 'CallExpression') this.returned = this.modelFromCall(v) ?? this.returned;
        break;
      }
      case 'ForStatement':
        this.forStatement(n);
        break;
      case 'WhileStatement':
        this.loopDepth++;
        this.bodies(n);
        this.loopDepth--;
        break;
      case 'IfStatement':
        this.ifStatement(n);
        break;
      case 'WithStatement':
      case 'TryStatement':
      case 'DecoratedStatement':
      case 'Body':
      case 'StatementGroup':
        this.bodies(n);
        break;
      default:
        break;
    }
  }

  /** A loop over what the code lists (a literal list, range(n), enumerate, zip) runs pass by pass. */
  private forStatement(n: SyntaxNode): void {
    const body = n.getChild('Body');
    const loop = body && !hasJump(body) ? loopPasses(n, this.values) : null;
    if (!body || !loop) {
      this.loopDepth++;
      this.bodies(n);
      this.loopDepth--;
      return;
    }
    for (const pass of loop.passes) {
      loop.names.forEach((name, i) => {
        this.models.delete(name);
        this.scope.set(name, pass[i]);
      });
      this.body(body);
    }
  }

  /** The branch whose condition holds; every branch from the first unknown condition on (with a note). */
  private ifStatement(n: SyntaxNode): void {
    const branches: { cond: SyntaxNode | null; body: SyntaxNode }[] = [];
    let cond: SyntaxNode | null = null;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'if' || c.name === 'elif') cond = c.nextSibling;
      else if (c.name === 'else') cond = null;
      else if (c.name === 'Body') branches.push({ cond, body: c });
    }
    for (let i = 0; i < branches.length; i++) {
      const { cond: test, body } = branches[i];
      const truth = test ? truthOf(test, this.values) : true;
      if (truth === false) continue;
      if (truth === true) {
        this.body(body);
        return;
      }
      const before = this.records.reduce((k, r) => k + r.layers.length, 0);
      for (const b of branches.slice(i)) this.body(b.body);
      const added = this.records.reduce((k, r) => k + r.layers.length, 0) - before;
      if (added > 0 && test) {
        this.ctx.warnings.push(
          `line ${this.line(test)}: whether '${this.values.text(test)}' holds is only known by running the code; ` +
            `read every branch from here (${added} layer${added === 1 ? '' : 's'}): keep the branch you mean`,
        );
      }
      return;
    }
  }

  private bodies(n: SyntaxNode): void {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Body') this.body(c);
      else if (n.name === 'StatementGroup') this.statement(c);
      else if (c.name === 'FunctionDefinition' || c.name === 'ClassDefinition') this.statement(c);
    }
  }

  private classDef(n: SyntaxNode): void {
    const name = n.getChild('VariableName');
    if (!name) return;
    const bases = n.getChild('ArgList');
    const baseNames = bases
      ? this.values.children(bases).map((b) => baseName(this.values.dotted(b) ?? ''))
      : [];
    const methods = new Map<string, SyntaxNode>();
    const statics = new Set<string>();
    const body = n.getChild('Body');
    for (let c = body?.firstChild; c; c = c.nextSibling) {
      const def = c.name === 'DecoratedStatement' ? c.getChild('FunctionDefinition') : c;
      const defName = def?.name === 'FunctionDefinition' ? def.getChild('VariableName') : null;
      if (!def || !defName) continue;
      methods.set(this.values.text(defName), def);
      const decorators =
        c.name === 'DecoratedStatement' ? this.values.text({ from: c.from, to: def.from }) : '';
      if (/@staticmethod\b/.test(decorators)) statics.add(this.values.text(defName));
    }
    const base = baseNames.includes('Sequential')
      ? 'sequential'
      : baseNames.some((b) => b === 'Model' || b === 'Functional')
        ? 'model'
        : baseNames.includes('Module')
          ? 'torch'
          : null;
    this.classes.set(this.values.text(name), {
      name: this.values.text(name),
      node: n,
      methods,
      statics,
      base,
      used: false,
    });
  }

  /**
   * Reads a function's body as if called with `call`'s arguments (or its defaults), returning the model it
   * returns. Parameters are bound for the walk only; a model passed in (compile_model(model)) stays the model.
   */
  private invoke(
    def: SyntaxNode,
    call: CallValue | null,
    method: ClassInfo | null,
    hasSelf = true,
  ): ModelRecord | null {
    if (this.callDepth >= MAX_CALL_DEPTH) return null;
    this.called.add(def);
    const params: { name: string; fallback: SyntaxNode | null }[] = [];
    const list = def.getChild('ParamList');
    let starred = false;
    for (let c = list?.firstChild; c; c = c.nextSibling) {
      if (c.name === '*' || c.name === '**') starred = true;
      else if (c.name === ',') starred = false;
      else if (c.name === 'VariableName' && !starred) {
        const eq = c.nextSibling;
        params.push({ name: this.values.text(c), fallback: eq?.name === 'AssignOp' ? eq.nextSibling : null });
      }
    }
    if (method && hasSelf && params.length > 0) params.shift(); // self (or cls)
    const bound = new Map<string, Value | undefined>();
    params.forEach((p, i) => {
      const given = call?.kwargs.find((k) => k.name === p.name)?.value ?? call?.args[i];
      bound.set(p.name, given ?? (p.fallback ? this.safeRead(p.fallback) : undefined));
    });
    const saved = new Map(
      [...bound.keys()].map((k) => [k, [this.scope.get(k), this.models.get(k)] as const]),
    );
    for (const [name, v] of bound) {
      const passed = v?.kind === 'ref' ? this.models.get(v.name) : undefined;
      this.models.delete(name);
      this.scope.delete(name);
      if (passed) this.models.set(name, passed);
      else if (v) this.scope.set(name, v);
    }
    const state = [this.returned, this.loopDepth, this.currentClass] as const;
    this.returned = null;
    this.loopDepth = 0;
    this.currentClass = method ?? this.currentClass;
    this.callDepth++;
    try {
      const body = def.getChild('Body');
      if (body) this.body(body);
      return this.returned;
    } finally {
      this.callDepth--;
      [this.returned, this.loopDepth, this.currentClass] = state;
      for (const [name, [v, m]] of saved) {
        this.scope.delete(name);
        this.models.delete(name);
        if (v) this.scope.set(name, v);
        if (m) this.models.set(name, m);
      }
    }
  }

  /** Net(...): runs __init__ on a fresh `self`; a Sequential subclass is itself the model. */
  private instantiate(cls: ClassInfo, call: CallValue | null, targets: string[]): ModelRecord | null {
    cls.used = true;
    const saved = this.models.get('self');
    let record: ModelRecord | null = null;
    if (cls.base === 'sequential') {
      record = this.newModel(
        cls.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(),
        call?.at ?? cls.node,
      );
      this.models.set('self', record);
    }
    const init = cls.methods.get('__init__');
    // A subclassed keras.Model wires its layers in call(): nothing in __init__ is the network.
    if (init && cls.base !== 'model' && cls.base !== 'torch') this.invoke(init, call, cls);
    if (record) {
      this.models.delete('self');
      if (saved) this.models.set('self', saved);
    }
    // net.model is what __init__ called self.model.
    for (const t of targets) {
      this.instances.set(t, cls);
      this.alias(t);
    }
    return record;
  }

  /** The function or method a callee names: build_model, self.build, net.build, LeNet.build (static). */
  private callable(callee: string): Callable | null {
    const dot = callee.lastIndexOf('.');
    if (dot < 0) {
      const def = this.defs.get(callee);
      return def ? { def, cls: null, bound: false, instance: null } : null;
    }
    const obj = callee.slice(0, dot);
    const name = callee.slice(dot + 1);
    const cls =
      obj === 'self' ? this.currentClass : (this.classes.get(obj) ?? this.instances.get(obj) ?? null);
    const def = cls?.methods.get(name);
    if (!cls || !def) return null;
    const instance = obj !== 'self' && this.instances.has(obj) ? obj : null;
    return { def, cls, bound: !cls.statics.has(name), instance };
  }

  private callKnown(fn: Callable, call: CallValue): ModelRecord | null {
    const r = this.invoke(fn.def, call, fn.cls, fn.bound);
    if (fn.instance) this.alias(fn.instance);
    return r;
  }

  /** net.model is what the methods of net's class call self.model. */
  private alias(instance: string): void {
    for (const [k, m] of [...this.models])
      if (k.startsWith('self.')) this.models.set(`${instance}${k.slice(4)}`, m);
  }

  /** Functions and classes nobody called: read with their defaults, for code that only defines them. */
  readUncalled(): void {
    for (const def of this.defs.values()) if (!this.called.has(def)) this.invoke(def, null, null);
    for (const cls of this.classes.values())
      if (!cls.used && cls.base !== 'model' && cls.base !== 'torch') this.instantiate(cls, null, []);
  }

  /** A subclassed keras.Model in the code, for the message when no model could be read. */
  subclassedModel(): ClassInfo | null {
    return [...this.classes.values()].find((c) => c.base === 'model' || c.base === 'torch') ?? null;
  }

  private classOf(callee: SyntaxNode): ClassInfo | null {
    const name = this.values.dotted(callee);
    return name === null ? null : (this.classes.get(name) ?? null);
  }

  private safeRead(n: SyntaxNode): Value {
    try {
      return this.values.read(n);
    } catch {
      return { kind: 'other', text: this.values.text(n), at: { from: n.from, to: n.to } };
    }
  }

  private assign(n: SyntaxNode): void {
    const value = n.lastChild;
    if (!value) return;
    const targets: string[] = [];
    for (let c = n.firstChild; c && c !== value; c = c.nextSibling) {
      const name = c.name === 'VariableName' || c.name === 'MemberExpression' ? this.values.dotted(c) : null;
      if (name !== null) targets.push(name);
    }
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
    const v = this.safeRead(value);
    for (const t of targets) {
      this.models.delete(t);
      this.scope.set(t, v);
    }
  }

  /** Sequential(...) makes a model; build_model() returns the one its function built. */
  private modelFromCall(n: SyntaxNode): ModelRecord | null {
    const callee = n.firstChild ? this.values.dotted(n.firstChild) : null;
    if (!callee) return null;
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

  private newModel(name: string, at: Span): ModelRecord {
    const record: ModelRecord = { name, layers: [], inputShape: null, at, used: false };
    this.records.push(record);
    return record;
  }

  private addLayer(record: ModelRecord, v: Value): void {
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
    if (split.activation) this.addLayer(record, split.activation);
  }

  private line(at: Span): number {
    return this.source.slice(0, at.from).split('\n').length;
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

// The scoping half of reading Python without running it: function and class definitions, calls into them
// with their arguments bound (self.model, net.model, static build methods), if/for statements the code
// settles, and a budget on the work. CodeReader (code-reader.ts) adds what builds the models.
import type { SyntaxNode } from '@lezer/common';
import type { Layer } from '../model';
import type { ArgContext } from './args';
import { settledBranches } from './conditions';
import { ControlWalker } from './control-walker';
import { errorAt } from './errors';
import { baseName, type CallValue, type Scope, type Span, type Value, ValueReader } from './python-values';

export interface ModelRecord {
  name: string;
  layers: { layer: Layer; at: Span }[];
  inputShape: number[] | null;
  at: Span;
  used: boolean;
}

/** A class in the code: its methods, and whether it is a Sequential (class Net(Sequential)) or a Model. */
export interface ClassInfo {
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

export abstract class ScopeWalker extends ControlWalker<ModelRecord> {
  readonly scope: Scope = new Map();
  readonly values: ValueReader;
  readonly ctx: ArgContext;
  readonly models = new Map<string, ModelRecord>();
  readonly records: ModelRecord[] = [];
  /** Functions by name (build_model) and classes (class Net: ...), read when called or instantiated. */
  readonly defs = new Map<string, SyntaxNode>();
  readonly classes = new Map<string, ClassInfo>();
  /** Variables holding an instance of a class in the code: net = Net() -> Net. */
  protected readonly instances = new Map<string, ClassInfo>();
  protected readonly called = new Set<SyntaxNode>();
  protected currentClass: ClassInfo | null = null;
  protected callDepth = 0;
  protected steps = 0;

  constructor(readonly source: string) {
    super();
    this.values = new ValueReader(source, this.scope);
    this.ctx = { source, warnings: [] };
  }

  abstract statement(n: SyntaxNode): void;
  protected abstract newModel(name: string, at: Span): ModelRecord;

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

  protected unbind(name: string): void {
    this.models.delete(name);
  }

  /** The branch whose condition holds; every branch from the first unknown condition on (with a note). */
  protected ifStatement(n: SyntaxNode): void {
    const { bodies, unknown } = settledBranches(n, this.values);
    const before = this.records.reduce((k, r) => k + r.layers.length, 0);
    for (const body of bodies) this.body(body);
    const added = this.records.reduce((k, r) => k + r.layers.length, 0) - before;
    if (added > 0 && unknown) {
      this.ctx.warnings.push(
        `line ${this.line(unknown)}: whether '${this.values.text(unknown)}' holds is only known by running the code; ` +
          `read every branch from here (${added} layer${added === 1 ? '' : 's'}): keep the branch you mean`,
      );
    }
  }

  protected bodies(n: SyntaxNode): void {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Body') this.body(c);
      else if (n.name === 'StatementGroup') this.statement(c);
      else if (c.name === 'FunctionDefinition' || c.name === 'ClassDefinition') this.statement(c);
    }
  }

  protected classDef(n: SyntaxNode): void {
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
  protected invoke(
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
    const outerClass = this.currentClass;
    this.currentClass = method ?? this.currentClass;
    this.callDepth++;
    return this.callBody(def, () => {
      this.callDepth--;
      this.currentClass = outerClass;
      for (const [name, [v, m]] of saved) {
        this.scope.delete(name);
        this.models.delete(name);
        if (v) this.scope.set(name, v);
        if (m) this.models.set(name, m);
      }
    });
  }

  /** Net(...): runs __init__ on a fresh `self`; a Sequential subclass is itself the model. */
  protected instantiate(cls: ClassInfo, call: CallValue | null, targets: string[]): ModelRecord | null {
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
  protected callable(callee: string): Callable | null {
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

  protected callKnown(fn: Callable, call: CallValue): ModelRecord | null {
    const r = this.invoke(fn.def, call, fn.cls, fn.bound);
    if (fn.instance) this.alias(fn.instance);
    return r;
  }

  /** net.model is what the methods of net's class call self.model. */
  protected alias(instance: string): void {
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

  protected classOf(callee: SyntaxNode): ClassInfo | null {
    const name = this.values.dotted(callee);
    return name === null ? null : (this.classes.get(name) ?? null);
  }

  protected line(at: Span): number {
    return this.source.slice(0, at.from).split('\n').length;
  }
}

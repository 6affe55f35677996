// Keras 1 and early Keras 2 spellings, still common in code on the web, rewritten at the call level into
// today's arguments before the call is bound to a layer's signature, as Keras 2's legacy interface did. Every
// rewrite leaves a one-line note with its line and column (Keras 2 warned too): nothing is read silently.
import { errorAt, lineColumn } from './errors';
import { baseName, type CallValue, describe, type KwArg, type Span, type Value } from './python-values';

export interface NoteContext {
  source: string;
  warnings: string[];
}

const KERNEL_KEYWORDS: Record<string, string> = {
  init: 'kernel_initializer',
  W_regularizer: 'kernel_regularizer',
  b_regularizer: 'bias_regularizer',
  W_constraint: 'kernel_constraint',
  b_constraint: 'bias_constraint',
  bias: 'use_bias',
};
const SPATIAL: Record<string, string> = { border_mode: 'padding', dim_ordering: 'data_format' };
const CONV = { ...KERNEL_KEYWORDS, ...SPATIAL, nb_filter: 'filters', subsample: 'strides' };
const POOL = { ...SPATIAL };
const ORDERING = { dim_ordering: 'data_format' };

/** Keras 1 keyword -> today's keyword, per layer class as written (aliases included). */
const RENAMES: Record<string, Record<string, string>> = {
  Conv2D: CONV,
  Convolution2D: CONV,
  Dense: { ...KERNEL_KEYWORDS, output_dim: 'units' },
  Dropout: { p: 'rate' },
  MaxPooling2D: POOL,
  MaxPool2D: POOL,
  AveragePooling2D: POOL,
  AvgPool2D: POOL,
  ZeroPadding2D: ORDERING,
  GlobalAveragePooling2D: ORDERING,
  GlobalAvgPool2D: ORDERING,
  GlobalMaxPooling2D: ORDERING,
  GlobalMaxPool2D: ORDERING,
  Flatten: ORDERING,
  UpSampling2D: ORDERING,
  BatchNormalization: { beta_init: 'beta_initializer', gamma_init: 'gamma_initializer' },
  // Keras 3 renamed LeakyReLU's alpha and still takes the old name with a deprecation warning.
  LeakyReLU: { alpha: 'negative_slope' },
  Model: { input: 'inputs', output: 'outputs' },
  Functional: { input: 'inputs', output: 'outputs' },
};
const OPTIMIZERS = ['SGD', 'Adam', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'Nadam', 'AdamW'];
for (const o of OPTIMIZERS) RENAMES[o] = { lr: 'learning_rate' };

/** Values Keras 1 spelled differently: dim_ordering='tf' is data_format='channels_last'. */
const ORDERINGS: Record<string, string | null> = { tf: 'channels_last', default: null };

/** Spellings that lasted into Keras 2 (the rest are Keras 1's). */
const KERAS2 = new Set(['lr', 'alpha']);
const era = (name: string) => (KERAS2.has(name) ? 'Keras 2' : 'Keras 1');

/** String arguments Keras lower-cases itself (conv_utils.normalize_padding / normalize_data_format). */
const CASELESS = new Set(['padding', 'data_format']);

function note(ctx: NoteContext, at: Span, message: string): void {
  const { line, column } = lineColumn(ctx.source, at.from);
  ctx.warnings.push(`line ${line}, column ${column}: ${message}`);
}

const isInt = (v: Value | undefined): v is Extract<Value, { kind: 'num' }> =>
  v?.kind === 'num' && v.int && Number.isInteger(v.value);

const pairOf = (a: Value, b: Value): Value => ({
  kind: 'seq',
  items: [a, b],
  tuple: true,
  at: { from: a.at.from, to: b.at.to },
});

/** Conv2D(32, 3, 3) and nb_row= / nb_col=: Keras 2 read both numbers as the kernel size. */
function kernelFromRowsAndColumns(call: CallValue, ctx: NoteContext): CallValue {
  const written = baseName(call.callee);
  const kw = (name: string) => call.kwargs.find((k) => k.name === name);
  const [filters, rows, cols] = call.args;
  const keras3Keywords = ['padding', 'strides', 'data_format'].some((k) => kw(k));
  if (call.args.length === 3 && isInt(rows) && isInt(cols) && !keras3Keywords) {
    // With padding= / strides= / data_format= written the Keras 3 way, Keras 2 refused the call as
    // ambiguous, so nobody wrote it for Keras 2: that is Keras 3 code (strides as the third number).
    const kernel = pairOf(rows, cols);
    note(
      ctx,
      rows.at,
      `${written}(${describe(filters, ctx.source)}, ${rows.value}, ${cols.value}) is the Keras 1 form ` +
        `(nb_filter, nb_row, nb_col): read as a ${rows.value}x${cols.value} kernel, as Keras 2 did ` +
        `(Keras 3 would read strides=${cols.value}); write ${written}(${describe(filters, ctx.source)}, ` +
        `(${rows.value}, ${cols.value}))`,
    );
    return { ...call, args: [filters, kernel] };
  }
  const row = kw('nb_row');
  const col = kw('nb_col');
  if (!row && !col) return call;
  // nb_col alone after a positional nb_row (Conv2D(32, 3, nb_col=3)), or both as keywords.
  const rowValue = row?.value ?? (call.args.length === 2 ? call.args[1] : undefined);
  if (!rowValue || !col) return missingHalf(call, (row ?? col) as KwArg, ctx);
  const kernel = pairOf(rowValue, col.value);
  note(
    ctx,
    (row ?? col).at,
    `${written}: nb_row=${describe(rowValue, ctx.source)}, nb_col=${describe(col.value, ctx.source)} is ` +
      `the Keras 1 spelling; read as kernel_size=(${describe(rowValue, ctx.source)}, ` +
      `${describe(col.value, ctx.source)}) (write that: Keras 3 has no nb_row / nb_col)`,
  );
  return {
    ...call,
    args: row ? call.args : call.args.slice(0, 1),
    kwargs: [
      ...call.kwargs.filter((k) => k !== row && k !== col),
      { name: 'kernel_size', at: (row ?? col).at, value: kernel },
    ],
  };
}

function missingHalf(call: CallValue, given: KwArg, ctx: NoteContext): never {
  throw errorAt(
    ctx.source,
    given.at.from,
    `${baseName(call.callee)}: ${given.name} without ${given.name === 'nb_row' ? 'nb_col' : 'nb_row'}; ` +
      `Keras 1's nb_row and nb_col are the kernel's height and width: write kernel_size=(rows, cols)`,
  );
}

/** A keyword renamed to today's name, its value translated where Keras 1 spelled values differently. */
function renamed(call: CallValue, kw: KwArg, to: string, ctx: NoteContext): KwArg | null {
  const written = baseName(call.callee);
  let value = kw.value;
  if (kw.name === 'dim_ordering' && value.kind === 'str' && value.value === 'th') {
    throw errorAt(
      ctx.source,
      kw.at.from,
      `${written}: dim_ordering='th' (Theano's channels-first order) is not supported; Paperweight is ` +
        'channels_last (NHWC): remove dim_ordering and give input_shape as (height, width, channels), ' +
        'e.g. (28, 28, 1) rather than (1, 28, 28)',
    );
  }
  if (kw.name === 'dim_ordering' && value.kind === 'str' && value.value in ORDERINGS) {
    const format = ORDERINGS[value.value];
    if (format === null) {
      note(ctx, kw.at, `${written}: dim_ordering='default' is Keras 1's default; dropped (remove it)`);
      return null;
    }
    value = { ...value, value: format };
  }
  const old = `${kw.name}=${describe(kw.value, ctx.source)}`;
  const now =
    value === kw.value
      ? `${to}=${describe(value, ctx.source)}`
      : `${to}='${(value as { value: string }).value}'`;
  note(
    ctx,
    kw.at,
    `${written}: ${old} is the ${era(kw.name)} spelling; read as ${now} (write that: Keras 3 has no ${kw.name}=)`,
  );
  return { name: to, at: kw.at, value };
}

/** Keras 1's BatchNormalization(mode=0) is today's layer; modes 1 and 2 normalized per sample / per batch. */
function batchNormMode(call: CallValue, mode: KwArg, ctx: NoteContext): CallValue {
  const v = mode.value;
  if (!(v.kind === 'num' && v.value === 0)) {
    throw errorAt(
      ctx.source,
      mode.at.from,
      `BatchNormalization: mode=${describe(v, ctx.source)} is Keras 1's feature-wise or per-sample ` +
        'normalization, which Keras 2 removed; write BatchNormalization() (mode 0: normalize each channel over ' +
        'the batch)',
    );
  }
  note(ctx, mode.at, "BatchNormalization: mode=0 is Keras 1's default; dropped (remove it)");
  return { ...call, kwargs: call.kwargs.filter((k) => k !== mode) };
}

const SHAPES: Record<string, number> = { input_shape: 0, shape: 0, batch_input_shape: 1, batch_shape: 1 };

/**
 * input_shape=(3, 32, 32): Keras 1 code for Theano (dim_ordering 'th', its default for years) put the channels
 * first. With 1 or 3 first and two image sides after it, that is what was meant: read as (32, 32, 3).
 */
function channelsLastShape(written: string, kw: KwArg, ctx: NoteContext): KwArg {
  const skip = SHAPES[kw.name];
  const v = kw.value;
  if (skip === undefined || v.kind !== 'seq' || v.items.length !== skip + 3) return kw;
  const dims = v.items.slice(skip).map((d) => (d.kind === 'num' && d.int ? d.value : null));
  const [c, h, w] = dims;
  if (c === null || h === null || w === null || !(c === 1 || c === 3) || h < 8 || w < 8) return kw;
  const [cv, hv, wv] = v.items.slice(skip);
  const items = [...v.items.slice(0, skip), hv, wv, cv];
  const shown = items.map((d) => describe(d, ctx.source)).join(', ');
  note(
    ctx,
    kw.at,
    `${written}: ${kw.name}=${describe(v, ctx.source)} puts the channels first (Theano's order, Keras 1's ` +
      `dim_ordering='th'); read as ${kw.name}=(${shown}) since Paperweight is channels_last (write that)`,
  );
  return { ...kw, value: { ...v, items } };
}

/** Keras lower-cases padding and data_format strings: 'Same' and 'SAME' mean 'same'. */
function lowerCased(v: Value): Value {
  return v.kind === 'str' && v.value !== v.value.toLowerCase() ? { ...v, value: v.value.toLowerCase() } : v;
}

/**
 * A layer, model or optimizer call with its Keras 1 spellings rewritten to today's, noting each rewrite in
 * ctx.warnings. Calls without old spellings come back unchanged (the same object).
 */
export function rewriteLegacyCall(call: CallValue, outer: NoteContext): CallValue {
  // Notes of one call are given in the order their arguments are written.
  const ctx: NoteContext = { source: outer.source, warnings: [] };
  const out = rewriteCall(call, ctx);
  const place = (w: string) => {
    const m = /^line (\d+), column (\d+)/.exec(w);
    return m ? Number(m[1]) * 1e6 + Number(m[2]) : 0;
  };
  outer.warnings.push(...ctx.warnings.sort((a, b) => place(a) - place(b)));
  return out;
}

function rewriteCall(call: CallValue, ctx: NoteContext): CallValue {
  const written = baseName(call.callee);
  const table = RENAMES[written];
  let out = call;
  if (written === 'Conv2D' || written === 'Convolution2D') out = kernelFromRowsAndColumns(out, ctx);
  const mode = written === 'BatchNormalization' ? out.kwargs.find((k) => k.name === 'mode') : undefined;
  if (mode) out = batchNormMode(out, mode, ctx);
  if (table && out.kwargs.some((k) => k.name in table)) {
    const kwargs: KwArg[] = [];
    for (const kw of out.kwargs) {
      const to = table[kw.name];
      if (to === undefined) kwargs.push(kw);
      else {
        const r = renamed(out, kw, to, ctx);
        if (r) kwargs.push(r);
      }
    }
    out = { ...out, kwargs };
  }
  const caseless = (v: Value) => (v.kind === 'str' && /^(same|valid)$/i.test(v.value) ? lowerCased(v) : v);
  const args = out.args.map(caseless);
  const kwargs = out.kwargs.map((k) =>
    CASELESS.has(k.name) ? { ...k, value: lowerCased(k.value) } : channelsLastShape(written, k, ctx),
  );
  if (args.some((a, i) => a !== out.args[i]) || kwargs.some((k, i) => k !== out.kwargs[i])) {
    out = { ...out, args, kwargs };
  }
  return out;
}

/** model.fit(nb_epoch=...) is Keras 1's epochs=; show_accuracy= moved to compile's metrics. */
export function rewriteLegacyFit(call: CallValue, ctx: NoteContext): CallValue {
  const shown = call.kwargs.find((k) => k.name === 'show_accuracy');
  if (shown) {
    note(
      ctx,
      shown.at,
      `fit: show_accuracy=${describe(shown.value, ctx.source)} is Keras 1's; dropped (accuracy is always ` +
        "shown here; in Keras 2 and 3 write metrics=['accuracy'] in compile)",
    );
    return rewriteLegacyFit({ ...call, kwargs: call.kwargs.filter((k) => k !== shown) }, ctx);
  }
  const old = call.kwargs.find((k) => k.name === 'nb_epoch');
  if (!old) return call;
  note(
    ctx,
    old.at,
    `fit: nb_epoch=${describe(old.value, ctx.source)} is the Keras 1 spelling; read as epochs=` +
      `${describe(old.value, ctx.source)} (write that: Keras 3 has no nb_epoch=)`,
  );
  return { ...call, kwargs: call.kwargs.map((k) => (k === old ? { ...k, name: 'epochs' } : k)) };
}

/** The optimizer of a compile call (optimizer= or the first positional), with lr= rewritten. */
export function rewriteLegacyCompile(call: CallValue, ctx: NoteContext): CallValue {
  const fix = (v: Value): Value => (v.kind === 'call' ? rewriteLegacyCall(v, ctx) : v);
  return {
    ...call,
    args: call.args.map((v, i) => (i === 0 ? fix(v) : v)),
    kwargs: call.kwargs.map((k) => (k.name === 'optimizer' ? { ...k, value: fix(k.value) } : k)),
  };
}

/**
 * Keras 1's Model(input=..., output=...): the keywords of a functional model call, read from the syntax
 * tree, with input= / output= moved to inputs= / outputs= and a note each.
 */
export function rewriteLegacyModelKeywords(
  keywords: Map<string, { from: number }>,
  what: string,
  ctx: NoteContext,
): void {
  for (const [old, now] of [
    ['input', 'inputs'],
    ['output', 'outputs'],
  ] as const) {
    const value = keywords.get(old);
    if (!value || keywords.has(now)) continue;
    keywords.set(now, value);
    keywords.delete(old);
    const at = ctx.source.lastIndexOf(old, value.from);
    note(
      ctx,
      { from: at < 0 ? value.from : at, to: value.from },
      `${what}: ${old}= is the Keras 1 spelling; read as ${now}= (write that: Keras 3 has no ${old}=)`,
    );
  }
}

// `Dense(64, activation=LeakyReLU(0.1))`: Keras takes a layer object as an activation and applies it inside
// the layer. Paperweight reads it as that activation layer right after, which computes the same function with
// the same parameters, and says so in a note (the summary gains a row Keras shows inside the layer).
import { lineColumn } from './errors';
import type { NoteContext } from './legacy';
import { baseName, type CallValue, describe } from './python-values';

export interface SplitCall {
  /** The layer call without its activation object. */
  call: CallValue;
  /** The activation object's own call (LeakyReLU(0.1)), to add as the next layer; null when there is none. */
  activation: CallValue | null;
}

export function splitActivationObject(call: CallValue, ctx: NoteContext): SplitCall {
  const kw = call.kwargs.find((k) => k.name === 'activation');
  const v = kw?.value;
  // A class name (LeakyReLU, layers.ReLU, Activation) makes a layer; lower-case calls are something else.
  if (!kw || v?.kind !== 'call' || !/^[A-Z]/.test(baseName(v.callee))) return { call, activation: null };
  const { line, column } = lineColumn(ctx.source, v.at.from);
  const written = baseName(call.callee);
  ctx.warnings.push(
    `line ${line}, column ${column}: ${written}: activation=${describe(v, ctx.source)} is a layer object; ` +
      `read as ${written}(...) followed by ${describe(v, ctx.source)} as its own layer (the same network; ` +
      `Keras's summary shows it inside ${written})`,
  );
  return { call: { ...call, kwargs: call.kwargs.filter((k) => k !== kw) }, activation: v };
}

// NumPy arrays whose shape the code states without running it: a Keras dataset's load_data() (the shapes Keras
// documents), then reshape, expand_dims, indexing with None / np.newaxis, astype and arithmetic. So the line
// Keras's own examples write, `input_shape=x_train.shape[1:]`, reads as (32, 32, 3) after cifar10.load_data().
import type { Span, Value } from './python-values';

export type ArrayValue = Extract<Value, { kind: 'array' }>;

/** keras.datasets.<name>.load_data(): ((x_train, y_train), (x_test, y_test)) shapes. */
const DATASETS: Record<string, { image: number[]; train: number; test: number; labels: number[] }> = {
  mnist: { image: [28, 28], train: 60000, test: 10000, labels: [] },
  fashion_mnist: { image: [28, 28], train: 60000, test: 10000, labels: [] },
  cifar10: { image: [32, 32, 3], train: 50000, test: 10000, labels: [1] },
  cifar100: { image: [32, 32, 3], train: 50000, test: 10000, labels: [1] },
};

const arr = (shape: number[], at: Span): ArrayValue => ({ kind: 'array', shape, at });
const tuple = (items: Value[], at: Span): Value => ({ kind: 'seq', items, tuple: true, at });

/**
 * The dataset a load_data() callee names (keras.datasets.cifar10.load_data, cifar10.load_data, or `data` after
 * data = tf.keras.datasets.fashion_mnist), or null.
 */
function datasetOf(callee: string, scope: Map<string, Value>): string | null {
  if (!callee.endsWith('.load_data')) return null;
  const obj = callee.slice(0, -'.load_data'.length);
  const bound = scope.get(obj);
  const name = bound?.kind === 'ref' ? bound.name : obj;
  const last = name.slice(name.lastIndexOf('.') + 1);
  return last in DATASETS ? last : null;
}

const ints = (v: Value | undefined): number[] | null => {
  if (!v) return null;
  if (v.kind === 'num' && Number.isInteger(v.value)) return [v.value];
  if (v.kind !== 'seq') return null;
  const out = v.items.map((i) => (i.kind === 'num' && Number.isInteger(i.value) ? i.value : null));
  return out.every((x) => x !== null) ? (out as number[]) : null;
};

/** numpy's reshape: one -1 takes what is left; null when the sizes do not match. */
function reshaped(from: number[], to: number[]): number[] | null {
  const total = from.reduce((a, b) => a * b, 1);
  const known = to.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const free = to.filter((d) => d === -1).length;
  if (free > 1 || to.some((d) => d < -1 || d === 0)) return null;
  const shape = to.map((d) => (d === -1 ? total / known : d));
  return shape.every(Number.isInteger) && shape.reduce((a, b) => a * b, 1) === total ? shape : null;
}

function expanded(shape: number[], axis: number): number[] | null {
  const at = axis < 0 ? shape.length + 1 + axis : axis;
  return at < 0 || at > shape.length ? null : [...shape.slice(0, at), 1, ...shape.slice(at)];
}

/**
 * A call that makes or transforms an array of known shape, or null (the caller keeps the call as written).
 * `receiver`: the value a method is called on (x_train in x_train.reshape(...)), when the callee is one.
 */
export function arrayCall(
  call: { callee: string; args: Value[]; kwargs: { name: string; value: Value }[] },
  method: string,
  receiver: Value | undefined,
  scope: Map<string, Value>,
  at: Span,
): Value | null {
  const { callee, args, kwargs } = call;
  const data = datasetOf(callee, scope);
  if (data) {
    const d = DATASETS[data];
    const pair = (n: number) => tuple([arr([n, ...d.image], at), arr([n, ...d.labels], at)], at);
    return tuple([pair(d.train), pair(d.test)], at);
  }
  const kw = (name: string) => kwargs.find((k) => k.name === name)?.value;
  if (receiver?.kind === 'array') {
    // x.reshape(n, 28, 28, 1) / x.reshape((n, 28, 28, 1)) / x.astype('float32') / x.copy()
    if (method === 'reshape') {
      const to = args.length === 1 ? ints(args[0]) : ints(tuple(args, at));
      const shape = to && reshaped(receiver.shape, to);
      return shape ? arr(shape, at) : null;
    }
    if (method === 'astype' || method === 'copy') return arr(receiver.shape, at);
    return null;
  }
  const first = args[0];
  const module = callee.slice(0, Math.max(0, callee.lastIndexOf('.')));
  if (first?.kind !== 'array' || !/^(np|numpy|tf|keras\.ops|ops)$/.test(module)) return null;
  switch (method) {
    case 'reshape': {
      const to = ints(args[1] ?? kw('newshape') ?? kw('shape'));
      const shape = to && reshaped(first.shape, to);
      return shape ? arr(shape, at) : null;
    }
    case 'expand_dims': {
      const axis = ints(args[1] ?? kw('axis'));
      const shape = axis?.length === 1 ? expanded(first.shape, axis[0]) : null;
      return shape ? arr(shape, at) : null;
    }
    case 'array':
    case 'asarray':
    case 'float32':
    case 'cast':
    case 'convert_to_tensor':
      return arr(first.shape, at);
    default:
      return null;
  }
}

/** One item of a subscript: an index, a slice, `...`, or a new axis (None, np.newaxis). */
export type SubscriptItem =
  | { kind: 'index'; value: number }
  | { kind: 'slice'; start: number | null; stop: number | null }
  | { kind: 'ellipsis' }
  | { kind: 'newaxis' };

const clampIndex = (i: number | null, n: number, fallback: number) =>
  i === null ? fallback : Math.min(Math.max(i < 0 ? n + i : i, 0), n);

/** `value[items]` for a tuple (shape[1:], shape[0]) or an array of known shape; null when it cannot say. */
export function subscript(value: Value, items: SubscriptItem[], at: Span): Value | null {
  if (value.kind === 'seq') {
    if (items.length !== 1) return null;
    const [it] = items;
    const n = value.items.length;
    if (it.kind === 'index') {
      const i = it.value < 0 ? n + it.value : it.value;
      return i >= 0 && i < n ? { ...value.items[i], at } : null;
    }
    if (it.kind === 'slice') {
      const items2 = value.items.slice(clampIndex(it.start, n, 0), clampIndex(it.stop, n, n));
      return { kind: 'seq', items: items2, tuple: value.tuple, at };
    }
    return null;
  }
  if (value.kind !== 'array') return null;
  const real = items.filter((i) => i.kind === 'index' || i.kind === 'slice').length;
  if (real > value.shape.length || items.filter((i) => i.kind === 'ellipsis').length > 1) return null;
  const out: number[] = [];
  let dim = 0;
  for (const it of items) {
    if (it.kind === 'newaxis') out.push(1);
    else if (it.kind === 'ellipsis') {
      const keep = value.shape.length - real;
      out.push(...value.shape.slice(dim, dim + keep));
      dim += keep;
    } else if (it.kind === 'index') dim++;
    else {
      const n = value.shape[dim++];
      out.push(Math.max(0, clampIndex(it.stop, n, n) - clampIndex(it.start, n, 0)));
    }
  }
  out.push(...value.shape.slice(dim));
  return arr(out, at);
}

// A safe reader for the pickles of the CIFAR Python version: protocol 2 (as Python 2's cPickle and numpy
// wrote them, and as Python 3 writes them with `_codecs.encode` for bytes), plus the harmless opcodes of
// protocols 3-4. It understands dicts, lists, tuples, strings, numbers and numpy uint8/int arrays (the
// `_reconstruct` + BUILD path), and refuses everything else by name. Nothing is ever executed: a GLOBAL is
// only ever matched against the short list below.
import { NUMPY_ITEM_SIZES } from './npy';
import { excerpt } from './text';
import { DatasetError } from './types';

export interface PyBytes {
  kind: 'bytes';
  bytes: Uint8Array;
}
/** A large unicode string kept as its UTF-8 bytes (the `_codecs.encode` form of array data). */
export interface PyUtf8 {
  kind: 'utf8';
  bytes: Uint8Array;
}
export interface PyDtype {
  kind: 'dtype';
  code: string; // 'u1', 'i8', 'f4'...
  order: string; // '|', '<', '>'
}
export interface PyArray {
  kind: 'ndarray';
  shape: number[];
  dtype: PyDtype | null;
  fortran: boolean;
  data: Uint8Array | null;
}
export interface PyGlobal {
  kind: 'global';
  module: string;
  name: string;
}
export type PyValue =
  | null
  | boolean
  | number
  | string
  | PyBytes
  | PyUtf8
  | PyDtype
  | PyArray
  | PyGlobal
  | PyValue[]
  | Map<string, PyValue>;

const ALLOWED = new Set([
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
  'numpy.ndarray',
  'numpy.dtype',
  '_codecs.encode',
]);
const BIG_STRING = 1 << 16;
/** Values reachable from one list or dict, counting every reuse of a memoized one (a CIFAR-100 train pickle has ~150,000). */
const MAX_VALUES = 10_000_000;
/** Lists in lists: a CIFAR batch nests 3 deep. */
const MAX_DEPTH = 32;
const MARK = Symbol('mark');

const utf8 = new TextDecoder('utf-8', { fatal: false });
const latin1 = new TextDecoder('latin1');

/** Dict keys as JS strings: Python 2 str (bytes) are read as latin-1, like `encoding='latin1'` would. */
export function pyText(v: PyValue): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map)) {
    if (v.kind === 'bytes') return latin1.decode(v.bytes);
    if (v.kind === 'utf8') return utf8.decode(v.bytes);
  }
  return null;
}

/** UTF-8 of code points 0-255 back to bytes (what `_codecs.encode(s, 'latin1')` does). */
function latin1Bytes(v: PyValue, fail: (why: string) => never): Uint8Array {
  if (typeof v === 'string') {
    const out = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c > 255) fail('is damaged: a numpy array holds text that is not bytes; download the file again');
      out[i] = c;
    }
    return out;
  }
  if (v && typeof v === 'object' && 'kind' in v && v.kind === 'utf8') {
    const src = v.bytes;
    const out = new Uint8Array(src.length);
    let n = 0;
    for (let i = 0; i < src.length; i++) {
      const b = src[i];
      if (b < 0x80) out[n++] = b;
      else if ((b === 0xc2 || b === 0xc3) && i + 1 < src.length)
        out[n++] = ((b & 0x1f) << 6) | (src[++i] & 0x3f);
      else fail('is damaged: a numpy array holds text that is not bytes; download the file again');
    }
    return out.subarray(0, n);
  }
  return fail('_codecs.encode was given something other than a string');
}

type Item = PyValue | typeof MARK;

export function readPickle(buf: Uint8Array, file: string): PyValue {
  const fail = (why: string): never => {
    throw new DatasetError(file, why);
  };
  const refuse = (what: string): never =>
    fail(
      `refused: the pickle asks for ${what}, which a CIFAR batch never contains (only numpy arrays, lists, dicts, strings and numbers are read; nothing in a pickle is ever run)`,
    );
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const stack: Item[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();
  let pos = 0;

  const need = (n: number) => {
    if (pos + n > buf.length)
      fail(`truncated: the pickle ends unexpectedly at byte ${buf.length}; download the file again`);
  };
  const damaged = (what: string): never =>
    fail(`is damaged: its pickle data makes no sense at byte ${pos} (${what}); download the file again`);
  // Size and depth of every list and dict, kept exact by building bottom-up only: a list may not change
  // once it sits inside another. So 40 levels of one reused list, or 100,000 levels of nesting, are refused
  // here, long before anything walks them.
  const info = new WeakMap<object, { size: number; depth: number; sealed: boolean }>();
  const infoOf = (c: object) => {
    let i = info.get(c);
    if (!i) {
      i = { size: 1, depth: 1, sealed: false };
      info.set(c, i);
    }
    return i;
  };
  const adopt = (parent: object, children: PyValue[]) => {
    const p = infoOf(parent);
    if (p.sealed) damaged('a list is changed after it was put inside another');
    for (const c of children) {
      if (Array.isArray(c) || c instanceof Map) {
        if (c === parent) damaged('a list is put inside itself');
        const ci = infoOf(c);
        ci.sealed = true;
        p.size += ci.size;
        p.depth = Math.max(p.depth, ci.depth + 1);
      } else p.size += 1;
    }
    if (p.size > MAX_VALUES)
      fail(
        `expands to more than ${MAX_VALUES} values (one list reused over and over), so it is not a CIFAR batch`,
      );
    if (p.depth > MAX_DEPTH)
      fail(`nests lists more than ${MAX_DEPTH} levels deep, so it is not a CIFAR batch`);
  };
  const made = (items: PyValue[]): PyValue[] => {
    adopt(items, items);
    return items;
  };
  const take = (n: number): number => {
    need(n);
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = () => buf[take(1)];
  const u16 = () => view.getUint16(take(2), true);
  const i32 = () => view.getInt32(take(4), true);
  const u32 = () => view.getUint32(take(4), true);
  const u64 = () => {
    const at = take(8);
    return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
  };
  const bytes = (n: number) => {
    const at = take(n);
    return buf.subarray(at, at + n);
  };
  const line = () => {
    const end = buf.indexOf(0x0a, pos);
    if (end < 0) fail('truncated: the pickle ends inside a GLOBAL');
    const s = latin1.decode(buf.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) damaged('a value is used that was never given');
    return v as PyValue;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) damaged('a value is used that was never given');
    return v as PyValue;
  };
  const popMark = (): PyValue[] => {
    const m = marks.pop();
    if (m === undefined) damaged('a group ends that never started');
    return stack.splice(m as number).slice(1) as PyValue[];
  };
  const str = (b: Uint8Array): PyValue =>
    b.length > BIG_STRING ? { kind: 'utf8', bytes: b } : utf8.decode(b);
  const global = (module: string, name: string): PyGlobal => {
    const full = `${module}.${name}`;
    if (!ALLOWED.has(full)) refuse(excerpt(full, 60));
    return { kind: 'global', module, name };
  };
  const isGlobal = (v: PyValue, full: string) =>
    v !== null &&
    typeof v === 'object' &&
    'kind' in v &&
    v.kind === 'global' &&
    `${v.module}.${v.name}` === full;
  const setItems = (d: PyValue, items: PyValue[]) => {
    if (!(d instanceof Map)) damaged('a dict entry is added to something that is not a dict');
    const map = d as Map<string, PyValue>;
    adopt(
      map,
      items.filter((_, i) => i % 2 === 1),
    );
    for (let i = 0; i + 1 < items.length; i += 2) {
      const k = items[i];
      map.set(
        typeof k === 'number' ? String(k) : (pyText(k) ?? damaged('a dict key is not a string')),
        items[i + 1],
      );
    }
  };

  const reduce = (fn: PyValue, args: PyValue): PyValue => {
    if (!Array.isArray(args)) return damaged('a call without arguments');
    if (
      isGlobal(fn, 'numpy.core.multiarray._reconstruct') ||
      isGlobal(fn, 'numpy._core.multiarray._reconstruct')
    ) {
      if (!isGlobal(args[0], 'numpy.ndarray')) refuse('an array of a numpy subclass');
      return { kind: 'ndarray', shape: [], dtype: null, fortran: false, data: null };
    }
    if (isGlobal(fn, 'numpy.dtype')) {
      const code = pyText(args[0]);
      // Own keys only: 'constructor' or 'valueOf' are found `in` any object.
      if (!code || !Object.hasOwn(NUMPY_ITEM_SIZES, code)) refuse(`numpy type '${excerpt(code ?? '?', 20)}'`);
      return { kind: 'dtype', code: code as string, order: '|' };
    }
    if (isGlobal(fn, '_codecs.encode')) {
      const enc = pyText(args[1] ?? null)?.toLowerCase();
      if (enc !== 'latin1' && enc !== 'latin-1')
        refuse(`_codecs.encode with ${enc === undefined ? 'no encoding' : `encoding '${excerpt(enc, 20)}'`}`);
      return { kind: 'bytes', bytes: latin1Bytes(args[0], fail) };
    }
    return refuse('a call it cannot make');
  };

  const build = (obj: PyValue, state: PyValue): void => {
    if (obj && typeof obj === 'object' && 'kind' in obj && obj.kind === 'dtype') {
      if (!Array.isArray(state) || state.length < 5)
        fail('has a numpy type it cannot read; the file is damaged or not a CIFAR batch');
      const s = state as PyValue[];
      if (s[3] !== null || s[4] !== null) refuse('a structured numpy dtype');
      obj.order = pyText(s[1]) ?? '|';
      return;
    }
    if (obj && typeof obj === 'object' && 'kind' in obj && obj.kind === 'ndarray') {
      if (!Array.isArray(state) || state.length !== 5)
        fail('has a numpy array it cannot read; the file is damaged or not a CIFAR batch');
      const [, shape, dtype, fortran, raw] = state as PyValue[];
      if (
        !Array.isArray(shape) ||
        !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)
      )
        fail('has a numpy array whose shape is not a list of sizes; the file is damaged, download it again');
      if (!dtype || typeof dtype !== 'object' || !('kind' in dtype) || dtype.kind !== 'dtype') {
        fail('has a numpy array without a number type; the file is damaged or not a CIFAR batch');
      }
      const data =
        raw && typeof raw === 'object' && 'kind' in raw && raw.kind === 'bytes'
          ? raw.bytes
          : refuse('a numpy array of Python objects');
      const dt = dtype as PyDtype;
      const count = (shape as number[]).reduce((a, b) => a * b, 1);
      if (data.length !== count * NUMPY_ITEM_SIZES[dt.code]) {
        fail(
          `truncated: a numpy array of shape (${(shape as number[]).join(', ')}) needs ${count * NUMPY_ITEM_SIZES[dt.code]} bytes but holds ${data.length}; download the file again`,
        );
      }
      Object.assign(obj, { shape, dtype: dt, fortran: fortran === true, data });
      return;
    }
    refuse('state to be set on an object');
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 4) fail('uses pickle protocol 5 or newer; CIFAR batches use protocol 2');
        break;
      case 0x95: // FRAME: only a length hint
        bytes(8);
        break;
      case 0x28: // MARK
        marks.push(stack.length);
        stack.push(MARK);
        break;
      case 0x29: // EMPTY_TUPLE
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
      case 0x89: // NEWFALSE
        stack.push(op === 0x88);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x8a: {
        // LONG1: little-endian two's complement of n bytes
        const b = bytes(u8());
        let v = 0;
        for (let i = b.length - 1; i >= 0; i--) v = v * 256 + b[i];
        if (b.length && b[b.length - 1] & 0x80) v -= 2 ** (8 * b.length);
        stack.push(v);
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x55: // SHORT_BINSTRING: a Python 2 str, read as bytes like Keras's encoding='bytes'
      case 0x43: // SHORT_BINBYTES
        stack.push({ kind: 'bytes', bytes: bytes(u8()) });
        break;
      case 0x54: // BINSTRING
      case 0x42: // BINBYTES
        stack.push({ kind: 'bytes', bytes: bytes(u32()) });
        break;
      case 0x8e: // BINBYTES8
        stack.push({ kind: 'bytes', bytes: bytes(u64()) });
        break;
      case 0x58: // BINUNICODE
        stack.push(str(bytes(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(str(bytes(u8())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(str(bytes(u64())));
        break;
      case 0x74: // TUPLE
      case 0x6c: // LIST
        stack.push(made(popMark()));
        break;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: {
        // TUPLE3
        const n = op - 0x84;
        const items: PyValue[] = [];
        for (let i = 0; i < n; i++) items.unshift(pop());
        stack.push(made(items));
        break;
      }
      case 0x64: {
        // DICT
        const d = new Map<string, PyValue>();
        setItems(d, popMark());
        stack.push(d);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        const l = top();
        if (!Array.isArray(l)) damaged('an item is added to something that is not a list');
        adopt(l as PyValue[], [v]);
        (l as PyValue[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const l = top();
        if (!Array.isArray(l)) damaged('items are added to something that is not a list');
        adopt(l as PyValue[], items);
        for (const v of items) (l as PyValue[]).push(v);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) damaged(`it refers back to value ${k}, which was never stored`);
        stack.push(memo.get(k) as PyValue);
        break;
      }
      case 0x30: // POP
        if (stack.pop() === MARK) marks.pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x63: {
        // GLOBAL module\nname\n: checked against the allow-list before anything else happens
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pyText(pop());
        const module = pyText(pop());
        stack.push(global(module ?? '?', name ?? '?'));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        stack.push(reduce(pop(), args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        build(top(), state);
        break;
      }
      case 0x2e: // STOP
        return pop();
      default: {
        const names: Record<number, string> = {
          105: 'INST (an object instance)',
          111: 'OBJ (an object instance)',
          129: 'NEWOBJ (an object instance)',
          146: 'NEWOBJ_EX (an object instance)',
          80: 'PERSID (a persistent object)',
          81: 'BINPERSID (a persistent object)',
        };
        if (names[op]) refuse(names[op]);
        fail(
          `is not a pickle Paperweight can read (instruction 0x${op.toString(16)} at byte ${pos - 1} is not one CIFAR batches use); if it is a CIFAR batch, download it again`,
        );
      }
    }
  }
}

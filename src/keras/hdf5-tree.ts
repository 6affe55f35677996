// HDF5 files as plain trees (groups, attributes, float datasets), read and written with h5wasm, the HDF5
// C library compiled to WebAssembly. The ~4 MB module is imported on first use, so pages that never touch a
// .keras/.h5 file never download it. Files pass through h5wasm's in-memory file system, one name per call.
import { KerasImportError } from './errors';

/** Attribute values as Keras writes them: strings (scalar or list) and numbers (the empty list is float64[0]). */
export type H5Attr = string | string[] | number | number[];

export interface H5Dataset {
  kind: 'dataset';
  shape: number[];
  /** float32 values (float64 and float16 datasets are converted; other types are refused on read). */
  data: Float32Array;
  attrs: Record<string, H5Attr>;
}

export interface H5Group {
  kind: 'group';
  attrs: Record<string, H5Attr>;
  children: Map<string, H5Node>;
}

export type H5Node = H5Group | H5Dataset;

export const group = (attrs: Record<string, H5Attr> = {}): H5Group => ({
  kind: 'group',
  attrs,
  children: new Map(),
});

/** The group at a '/'-separated path below `root`, made (with empty attributes) where missing. */
export function ensureGroup(root: H5Group, path: string): H5Group {
  let g = root;
  for (const part of path.split('/').filter(Boolean)) {
    let next = g.children.get(part);
    if (!next) {
      next = group();
      g.children.set(part, next);
    }
    if (next.kind !== 'group') throw new Error(`'${part}' in '${path}' is a dataset, not a group`);
    g = next;
  }
  return g;
}

/** The node at a '/'-separated path, or null. */
export function nodeAt(root: H5Group, path: string): H5Node | null {
  let n: H5Node = root;
  for (const part of path.split('/').filter(Boolean)) {
    if (n.kind !== 'group') return null;
    const next = n.children.get(part);
    if (!next) return null;
    n = next;
  }
  return n;
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export function isHdf5(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && HDF5_MAGIC.every((b, i) => bytes[i] === b);
}

type H5wasmModule = typeof import('h5wasm');
let loading: Promise<H5wasmModule> | null = null;
let counter = 0;

async function h5(): Promise<H5wasmModule> {
  loading ??= import('h5wasm').then(async (m) => {
    await m.ready;
    return m;
  });
  try {
    return await loading;
  } catch (e) {
    loading = null;
    throw new Error(
      `the HDF5 library (WebAssembly) could not start: ${e instanceof Error ? e.message : String(e)}. ` +
        'Reload the page; if it persists, the browser blocks WebAssembly here',
    );
  }
}

// h5wasm's typings give entity kinds through instanceof; these narrow what the tree walk needs.
type Entity = ReturnType<InstanceType<H5wasmModule['Group']>['get']>;

function readAttrs(entity: { attrs: Record<string, { value: unknown }> }) {
  const out: Record<string, H5Attr> = {};
  for (const [name, attr] of Object.entries(entity.attrs)) {
    const v = attr.value;
    if (typeof v === 'string' || typeof v === 'number') out[name] = v;
    else if (typeof v === 'bigint') out[name] = Number(v);
    else if (Array.isArray(v) && v.every((s) => typeof s === 'string')) out[name] = v as string[];
    else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      out[name] = Array.from(v as unknown as ArrayLike<number | bigint>, Number);
    }
    // Other attribute kinds (references, compounds) carry nothing Keras needs; they are left out.
  }
  return out;
}

/** Float and integer datasets as float32; other kinds (strings, compounds) are left out: no weight is one. */
function readDataset(ds: InstanceType<H5wasmModule['Dataset']>): H5Dataset | null {
  // H5T_INTEGER is class 0, H5T_FLOAT class 1.
  if (ds.metadata.type !== 0 && ds.metadata.type !== 1) return null;
  const value = ds.value;
  let data: Float32Array;
  if (value instanceof Float32Array) data = value;
  else if (typeof value === 'number' || typeof value === 'bigint') data = Float32Array.of(Number(value));
  else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    data = Float32Array.from(value as unknown as ArrayLike<number | bigint>, Number);
  } else return null;
  return { kind: 'dataset', shape: ds.shape ?? [], data, attrs: readAttrs(ds as never) };
}

function readGroup(m: H5wasmModule, g: InstanceType<H5wasmModule['Group']>, path: string): H5Group {
  const out = group(readAttrs(g as never));
  for (const key of g.keys()) {
    const child: Entity = g.get(key);
    const childPath = `${path}/${key}`;
    if (child instanceof m.Group) out.children.set(key, readGroup(m, child, childPath));
    else if (child instanceof m.Dataset) {
      const d = readDataset(child);
      if (d) out.children.set(key, d);
    }
    // Links to elsewhere and named datatypes hold no weights.
  }
  return out;
}

/** The whole file as a tree. Throws a KerasImportError naming `fileName` when it is not readable HDF5. */
export async function readHdf5(bytes: Uint8Array, fileName: string): Promise<H5Group> {
  if (!isHdf5(bytes)) {
    throw new KerasImportError(
      `${fileName} is not an HDF5 file (it does not start with the HDF5 signature); save the model with ` +
        "Keras's model.save(...) and drop that file",
    );
  }
  const m = await h5();
  const { FS } = await m.ready;
  const path = `/read-${++counter}.h5`;
  FS.writeFile(path, bytes);
  let file: InstanceType<H5wasmModule['File']> | null = null;
  try {
    file = new m.File(path, 'r');
    return readGroup(m, file, '');
  } catch (e) {
    if (e instanceof KerasImportError) throw new KerasImportError(`${fileName}: ${e.message}`);
    // h5wasm's own message says nothing useful ("error - name not defined!"); HDF5 prints its diagnosis
    // (e.g. "truncated file: eof = 100, stored_eof = 794400") to the console.
    throw new KerasImportError(
      `${fileName} could not be read as HDF5: the file is truncated or damaged; save or download it again`,
    );
  } finally {
    try {
      file?.close();
    } finally {
      FS.unlink(path);
    }
  }
}

function writeAttrs(
  target: {
    create_attribute(name: string, data: never, shape?: number[] | null, dtype?: string | null): void;
  },
  attrs: Record<string, H5Attr>,
) {
  for (const [name, v] of Object.entries(attrs)) {
    if (typeof v === 'string') target.create_attribute(name, v as never);
    else if (typeof v === 'number') target.create_attribute(name, Float64Array.of(v) as never, [], '<d');
    else if (v.length === 0) target.create_attribute(name, new Float64Array(0) as never, [0], '<d');
    else if (typeof v[0] === 'string') target.create_attribute(name, v as never, [v.length]);
    else target.create_attribute(name, Float64Array.from(v as number[]) as never, [v.length], '<d');
  }
}

function writeGroup(g: InstanceType<H5wasmModule['Group']>, tree: H5Group) {
  writeAttrs(g as never, tree.attrs);
  for (const [name, child] of tree.children) {
    if (child.kind === 'group') writeGroup(g.create_group(name), child);
    else {
      g.create_dataset({ name, data: child.data, shape: child.shape, dtype: '<f' });
      const ds = g.get(name);
      if (ds) writeAttrs(ds as never, child.attrs);
    }
  }
}

/** The tree as the bytes of an HDF5 file (float32 little-endian datasets, variable-length UTF-8 strings). */
export async function writeHdf5(tree: H5Group): Promise<Uint8Array> {
  const m = await h5();
  const { FS } = await m.ready;
  const path = `/write-${++counter}.h5`;
  const file = new m.File(path, 'w');
  try {
    writeGroup(file, tree);
  } finally {
    file.close();
  }
  try {
    return FS.readFile(path);
  } finally {
    FS.unlink(path);
  }
}

// WGSL sources, assembled. Vite (page, worker, vitest, the bench's SSR loader) inlines every file under
// shaders/ as a string; this module turns a stem into the text a shader module is made from.
//
// How a shader uses the shared pieces (see also shaders/lib/README.md):
//   1. Constants generated from the TypeScript tables are always there, so ids cannot drift:
//        ACT_<NAME>  activation ids of ACT_IDS (ACT_RELU = 1u, ...), for `switch ACT { case ACT_RELU: ... }`
//        STEP_<NAME> indices of the STEP state (STEP_SEED, STEP_BATCH_START, ...), STEP_WORDS its length,
//        and `alias StepState = array<u32, STEP_WORDS>` for the binding: `var<storage, read> step: StepState`.
//      A new table is one line in WGSL_TABLES below.
//   2. A line `//! use act gemm_tiled(fwd)` anywhere in the shader pulls in shaders/lib/act.wgsl and an
//      instance of shaders/lib/gemm_tiled.wgsl named fwd. Pieces may use other pieces the same way; each is
//      included once. A piece whose text holds `$` is parameterised: every `$` becomes the instance name, so
//      one shader can hold several instances (gemm_tiled(fwd) and gemm_tiled(dx) define fwd_gemm, dx_gemm);
//      a piece without `$` takes no name.
//   3. Declarations the shader states in one line (generated, so the boilerplate is written once, here):
//        //! bindings x k -> y stats:array<u32>
//          group 0 storage buffers numbered from 0 in order: before `->` read-only, after it read_write; a name
//          alone is an array<f32>, `name:Type` another type (no spaces), `_` skips a number (bound by an
//          earlier line, e.g. a buffer several entry points share as binding 0).
//        //! grid_stride forward(COUNT)
//          entry point `forward` (workgroup size WG) running `forward_at(i)` for every i < COUNT, grid-stride:
//          dispatch (min(ceil(COUNT / WG), cap), 1, 1) covers any COUNT.
//        //! each finalize(C)
//          entry point `finalize` running `finalize_at(i)` once per invocation i < C: dispatch (ceil(C / WG), 1, 1).
//      The shader writes `fn forward_at(i: u32)` itself, right under the directive; WGSL compilers inline it.
//   4. The pieces, the generated declarations and the constants are appended after the shader's own text (WGSL
//      declarations may come in any order), so a compiler error's line number is the line in the shader file.
import { ACT_IDS, STEP } from '../ops/types';

/** Prefix -> table of u32 constants emitted into every shader as `const <PREFIX>_<KEY>: u32`. */
export const WGSL_TABLES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  ACT: ACT_IDS,
  STEP,
};

const shaderFiles = import.meta.glob('../../shaders/*.wgsl', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;
const libFiles = import.meta.glob('../../shaders/lib/*.wgsl', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const stemOf = (path: string) => path.replace(/^.*\//, '').replace(/\.wgsl$/, '');
const shaders = new Map(Object.entries(shaderFiles).map(([p, s]) => [stemOf(p), s]));
const library = new Map(Object.entries(libFiles).map(([p, s]) => [stemOf(p), s]));

/** `fooBar` or `foo_bar` -> `FOO_BAR`. */
function constName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The generated constants every assembled shader ends with. */
export function prelude(tables = WGSL_TABLES): string {
  const lines = ['// ---- generated from the TypeScript tables (src/gpu/shaders.ts WGSL_TABLES) ----'];
  for (const [prefix, table] of Object.entries(tables)) {
    for (const [key, value] of Object.entries(table)) {
      if (!Number.isInteger(value) || value < 0) {
        throw new Error(`WGSL table ${prefix}.${key} = ${value} is not a u32; only whole numbers >= 0 fit`);
      }
      lines.push(`const ${prefix}_${constName(key)}: u32 = ${value}u;`);
    }
  }
  lines.push('alias StepState = array<u32, STEP_WORDS>;');
  return lines.join('\n');
}

const USE_LINE = /^[ \t]*\/\/![ \t]*use[ \t]+(.*)$/gm;
const USE_ITEM = /^([A-Za-z_][A-Za-z0-9_]*)(?:\(([A-Za-z_][A-Za-z0-9_]*)\))?$/;

/** The pieces `text` asks for, as [piece, instance name or ''] in order. */
export function usesOf(text: string, where: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of text.matchAll(USE_LINE)) {
    for (const item of line[1].trim().split(/[\s,]+/)) {
      const m = USE_ITEM.exec(item);
      if (!m) {
        throw new Error(
          `${where}: '//! use ${line[1].trim()}' has '${item}'; write piece names, e.g. act gemm_tiled(fwd)`,
        );
      }
      out.push([m[1], m[2] ?? '']);
    }
  }
  return out;
}

const DIRECTIVE = /^[ \t]*\/\/![ \t]*(\S+)(.*)$/gm;
const BINDING_ITEM = /^([A-Za-z_][A-Za-z0-9_]*)(?::(\S+))?$/;
const ENTRY_ARGS = /^[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\((.+)\)[ \t]*$/;

/** WGSL declarations of one `//! bindings` line (`args` is the text after the word). */
function bindingsOf(args: string, where: string): string[] {
  const sides = args.trim().split('->');
  if (sides.length !== 2) {
    throw new Error(
      `${where}: '//! bindings${args}' should read '//! bindings inputs -> outputs' (one '->')`,
    );
  }
  const out: string[] = [];
  let slot = 0;
  sides.forEach((side, s) => {
    for (const item of side.trim().split(/\s+/).filter(Boolean)) {
      if (item === '_') {
        slot++;
        continue;
      }
      const m = BINDING_ITEM.exec(item);
      if (!m) {
        throw new Error(
          `${where}: '//! bindings${args}' has '${item}'; write name or name:Type, e.g. x stats:array<u32>`,
        );
      }
      const access = s === 0 ? 'read' : 'read_write';
      out.push(`@group(0) @binding(${slot++}) var<storage, ${access}> ${m[1]}: ${m[2] ?? 'array<f32>'};`);
    }
  });
  return out;
}

/** The entry point a `//! grid_stride` or `//! each` line asks for; `body` must define `<name>_at`. */
function entryOf(kind: string, args: string, body: string, where: string): string[] {
  const m = ENTRY_ARGS.exec(args);
  if (!m) throw new Error(`${where}: '//! ${kind}${args}' should read '//! ${kind} name(count)'`);
  const [, name, count] = m;
  if (!new RegExp(`\\bfn ${name}_at\\(`).test(body)) {
    throw new Error(
      `${where}: '//! ${kind} ${name}(${count})' calls ${name}_at(i), which the shader does not define`,
    );
  }
  const grid = kind === 'grid_stride';
  return [
    '@compute @workgroup_size(WG)',
    `fn ${name}(@builtin(global_invocation_id) gid: vec3<u32>${grid ? ', @builtin(num_workgroups) nwg: vec3<u32>' : ''}) {`,
    grid
      ? `  for (var i = gid.x; i < ${count}; i += nwg.x * WG) { ${name}_at(i); }`
      : `  if (gid.x < ${count}) { ${name}_at(gid.x); }`,
    '}',
  ];
}

/** The declarations `body`'s `//! bindings`, `//! grid_stride` and `//! each` lines ask for ('' if none). */
export function generated(body: string, where: string): string {
  const lines: string[] = [];
  for (const [, word, args] of body.matchAll(DIRECTIVE)) {
    if (word === 'use') continue;
    if (word === 'bindings') lines.push(...bindingsOf(args, where));
    else if (word === 'grid_stride' || word === 'each') lines.push(...entryOf(word, args, body, where));
    else
      throw new Error(
        `${where}: unknown directive '//! ${word}'; there are use, bindings, grid_stride, each`,
      );
  }
  return lines.length ? ['// ---- generated from the //! lines ----', ...lines].join('\n') : '';
}

/**
 * `body` followed by every library piece it uses (transitively, each instance once) and the generated
 * constants. `lib` maps piece names to their text (shaders/lib by default).
 */
export function assemble(
  body: string,
  where: string,
  lib: ReadonlyMap<string, string> = library,
  tables = WGSL_TABLES,
): string {
  const parts: string[] = [body];
  const seen = new Set<string>();
  const include = (text: string, from: string) => {
    for (const [piece, name] of usesOf(text, from)) {
      const key = `${piece}(${name})`;
      if (seen.has(key)) continue;
      seen.add(key);
      const src = lib.get(piece);
      if (src === undefined) {
        const known = [...lib.keys()].sort().join(', ');
        throw new Error(`${from} uses '${piece}', which is not in shaders/lib (there: ${known})`);
      }
      const templated = src.includes('$');
      if (templated !== (name !== '')) {
        throw new Error(
          templated
            ? `${from}: shaders/lib/${piece}.wgsl is parameterised; use it with a name, e.g. ${piece}(fwd)`
            : `${from}: shaders/lib/${piece}.wgsl takes no name; write '//! use ${piece}'`,
        );
      }
      const text = templated ? src.replaceAll('$', name) : src;
      const label = templated ? `${piece}(${name})` : piece;
      parts.push(`// ---- shaders/lib/${piece}.wgsl${templated ? ` as ${label}` : ''} ----\n${text}`);
      include(text, `shaders/lib/${label}`);
    }
  };
  include(body, where);
  const decls = generated(body, where);
  if (decls) parts.splice(1, 0, decls);
  parts.push(prelude(tables));
  return parts.join('\n');
}

const assembled = new Map<string, string>();

/** The complete WGSL of shaders/<stem>.wgsl: its text, the library pieces it uses and the constants. */
export function shaderSource(stem: string): string {
  let src = assembled.get(stem);
  if (src === undefined) {
    const body = shaders.get(stem);
    if (body === undefined) throw new Error(`no shader shaders/${stem}.wgsl`);
    src = assemble(body, `shaders/${stem}.wgsl`);
    assembled.set(stem, src);
  }
  return src;
}

/** Stems of every shader under shaders/ (not the library pieces). */
export function shaderStems(): string[] {
  return [...shaders.keys()].sort();
}

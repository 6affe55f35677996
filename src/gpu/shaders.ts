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
//   3. The pieces and the constants are appended after the shader's own text (WGSL declarations may come in
//      any order), so a compiler error's line number is the line in the shader file.
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

// Shader assembly (src/gpu/shaders.ts): the generated constants equal the TypeScript tables, library pieces are
// pulled in once each, parameterised pieces are instantiated, mistakes are named; and no shader file repeats
// what the library or the tables hold.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble, generated, prelude, shaderSource, shaderStems, usesOf } from '../../src/gpu/shaders';
import { ACT_IDS, STEP } from '../../src/ops/types';

const dir = join(__dirname, '../../shaders');

/** name -> value of every `const NAME: u32 = Nu;` in WGSL text. */
function u32Consts(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^const ([A-Z0-9_]+): u32 = (\d+)u;$/gm)) out.set(m[1], Number(m[2]));
  return out;
}

describe('generated constants', () => {
  it('hold every activation id and STEP index under its SNAKE_CASE name', () => {
    const consts = u32Consts(prelude());
    expect(consts.size).toBe(Object.keys(ACT_IDS).length + Object.keys(STEP).length);
    for (const [name, id] of Object.entries(ACT_IDS))
      expect(consts.get(`ACT_${name.toUpperCase()}`)).toBe(id);
    expect(consts.get('STEP_SEED')).toBe(STEP.seed);
    expect(consts.get('STEP_BATCH_START')).toBe(STEP.batchStart);
    expect(consts.get('STEP_LEARNING_RATE_BITS')).toBe(STEP.learningRateBits);
    expect(consts.get('STEP_WORDS')).toBe(STEP.words);
    expect(prelude()).toContain('alias StepState = array<u32, STEP_WORDS>;');
  });
  it('refuse a table value that is not a u32', () => {
    expect(() => prelude({ BAD: { x: -1 } })).toThrow(/BAD.x = -1 is not a u32/);
  });
});

describe('assemble', () => {
  const lib = new Map([
    ['a', '//! use b\nfn a() {}'],
    ['b', 'fn b() {}'],
    ['g', 'fn $_run() { $_hook(); }'],
  ]);
  it('puts the body first, then each piece once (transitively), then the constants', () => {
    const out = assemble('//! use a, b\n//! use a\nfn main() {}', 'x.wgsl', lib, { T: { one: 1 } });
    expect(out.startsWith('//! use a, b\n')).toBe(true);
    expect(out.match(/fn a\(\)/g)).toHaveLength(1);
    expect(out.match(/fn b\(\)/g)).toHaveLength(1);
    expect(out.indexOf('fn a()')).toBeLessThan(out.indexOf('const T_ONE: u32 = 1u;'));
  });
  it('instantiates a parameterised piece once per name', () => {
    const out = assemble('//! use g(fwd) g(dx) g(fwd)', 'x.wgsl', lib, {});
    expect(out).toContain('fn fwd_run() { fwd_hook(); }');
    expect(out).toContain('fn dx_run() { dx_hook(); }');
    expect(out.match(/fn fwd_run/g)).toHaveLength(1);
    expect(out).not.toContain('$');
  });
  it('names the shader and the fix when a piece is unknown or used the wrong way', () => {
    expect(() => assemble('//! use nope', 'x.wgsl', lib, {})).toThrow(/x.wgsl uses 'nope'.*there: a, b, g/);
    expect(() => assemble('//! use g', 'x.wgsl', lib, {})).toThrow(
      /parameterised; use it with a name, e.g. g\(fwd\)/,
    );
    expect(() => assemble('//! use b(x)', 'x.wgsl', lib, {})).toThrow(/takes no name/);
    expect(() => usesOf('//! use a-b', 'x.wgsl')).toThrow(/x.wgsl: .* has 'a-b'/);
  });
});

describe('generated declarations', () => {
  it('number bindings from 0: read-only before ->, read_write after, array<f32> unless typed, _ skips one', () => {
    expect(
      generated('//! bindings x step:StepState -> y ids:array<u32>', 'x.wgsl').split('\n').slice(1),
    ).toEqual([
      '@group(0) @binding(0) var<storage, read> x: array<f32>;',
      '@group(0) @binding(1) var<storage, read> step: StepState;',
      '@group(0) @binding(2) var<storage, read_write> y: array<f32>;',
      '@group(0) @binding(3) var<storage, read_write> ids: array<u32>;',
    ]);
    expect(generated('//! bindings _ dy -> dx', 'x.wgsl')).toContain(
      '@group(0) @binding(1) var<storage, read> dy: array<f32>;\n@group(0) @binding(2) var<storage, read_write> dx',
    );
  });
  it('wrap <entry>_at in a grid-stride loop or a one-invocation-per-index guard', () => {
    const grid = generated('//! grid_stride forward(B * u32(H))\nfn forward_at(i: u32) {}', 'x.wgsl');
    expect(grid).toContain(
      'fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {',
    );
    expect(grid).toContain('for (var i = gid.x; i < B * u32(H); i += nwg.x * WG) { forward_at(i); }');
    const each = generated('//! each reduce(C)\nfn reduce_at(c: u32) {}', 'x.wgsl');
    expect(each).toContain(
      '@compute @workgroup_size(WG)\nfn reduce(@builtin(global_invocation_id) gid: vec3<u32>) {',
    );
    expect(each).toContain('if (gid.x < C) { reduce_at(gid.x); }');
  });
  it("come after the body and before the pieces, so line numbers stay the file's", () => {
    const out = assemble(
      '//! use b\n//! bindings x -> y\nfn main() {}',
      'x.wgsl',
      new Map([['b', 'fn b() {}']]),
      {},
    );
    expect(out.startsWith('//! use b\n//! bindings x -> y\nfn main() {}\n// ---- generated')).toBe(true);
    expect(out.indexOf('var<storage, read> x')).toBeLessThan(out.indexOf('fn b()'));
    expect(generated('//! use b\nfn main() {}', 'x.wgsl')).toBe('');
  });
  it('name the shader and the fix for a malformed line, a missing _at function or an unknown directive', () => {
    expect(() => generated('//! bindings x y', 'x.wgsl')).toThrow(/x.wgsl: .*inputs -> outputs/);
    expect(() => generated('//! bindings x -> y -> z', 'x.wgsl')).toThrow(/one '->'/);
    expect(() => generated('//! bindings x-1 -> y', 'x.wgsl')).toThrow(/has 'x-1'; write name or name:Type/);
    expect(() => generated('//! grid_stride forward', 'x.wgsl')).toThrow(
      /should read '\/\/! grid_stride name\(count\)'/,
    );
    expect(() => generated('//! each forward(N)\nfn forwardAt(i: u32) {}', 'x.wgsl')).toThrow(
      /calls forward_at\(i\), which the shader does not define/,
    );
    expect(() => generated('//! usee act', 'x.wgsl')).toThrow(/unknown directive '\/\/! usee'/);
  });
});

describe('the shaders', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.wgsl'));
  it('are all found, and every one assembles with no `$` left', () => {
    expect(shaderStems()).toEqual(files.map((f) => f.replace(/\.wgsl$/, '')).sort());
    for (const stem of shaderStems()) expect(shaderSource(stem), stem).not.toContain('$');
  });
  it('define act() and sigmoid() only in the library, and use ids and STEP indices only by name', () => {
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text, f).not.toMatch(/fn (act|sigmoid|actGrad|actGradFromY)\(/);
      expect(text, f).not.toMatch(/const (STEP|ACT)_/);
      expect(text, f).not.toMatch(/step\[\d/);
      // act() owns the switch over activation ids (by name: case ACT_RELU).
      expect(text, f).not.toMatch(/switch ACT\b/);
    }
    expect(readFileSync(join(dir, 'lib/act.wgsl'), 'utf8')).not.toMatch(/case \d/);
    const assembled = shaderSource('activations');
    expect(assembled.match(/fn act\(/g)).toHaveLength(1);
    expect(assembled.match(/fn sigmoid\(/g)).toHaveLength(1);
  });
});

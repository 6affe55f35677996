// Tile and lane plans of the GEMM kernels, both families (src/gpu/family.ts): conv2d and dense record their
// dispatches with these; the shaders' headers say what each constant means.
import type { Dispatch, GpuContext } from '../gpu/context';
import { ceilDiv, record } from './common';

/** K-tile depth of the tiled conv GEMMs: 16 halves the barriers of 8. */
export const TILED_TK = 16;

export interface GemmTile {
  TM: number;
  TN: number;
  TK: number;
}

/**
 * Tile for C[M, N]: TN just covers small N (conv filters are often 6 or 16) so few lanes idle, TM grows to
 * keep about `threads` invocations per workgroup, and shrinks when M is small.
 */
export function gemmTile(m: number, n: number, threads = 64, tk = 8): GemmTile {
  let TN = 4;
  while (TN < n && TN < 64) TN *= 2;
  let TM = Math.max(16, Math.min(128, (threads * 16) / TN));
  while (TM > 16 && TM / 2 >= m) TM /= 2;
  return { TM, TN, TK: tk };
}

/**
 * Lanes of one direct GEMM C[M, N] (shaders/lib/blocks.wgsl): N <= 8 puts every lane on its own rows with all
 * columns (B loads broadcast); wider N puts NL lanes side by side on consecutive columns, 8 each (A loads
 * broadcast), NL up to 8 so one workgroup covers N <= 64. Each lane takes `rm` rows (4 or 8): 8 rows x 8 columns
 * share each load among 8 multiply-adds, ~1.3x less CPU than 4 x 4 on SwiftShader for ResNet's 16-64 channels.
 * WG shrinks while one workgroup would cover all of M (conv1's dK has 26 rows, the last Dense's dW 120): a CPU
 * adapter runs a workgroup on one core, so a small GEMM wants at least two (dense_1 dW 0.69 -> 0.45 ms).
 */
export function directTile(m: number, n: number, rm: 4 | 8 = 4) {
  // RN = 6 for 5-6 columns: the shader skips the 2 unused ones (LeNet's 6 filters / 6 input channels).
  const RN = n <= 4 ? 4 : n <= 6 ? 6 : 8;
  let NL = 1;
  while (NL * RN < n && NL < 8) NL *= 2;
  let WG = 64;
  while (WG > Math.max(NL, 4) && (rm * WG) / NL >= m) WG /= 2;
  return { constants: { NL, RN, WG, RM: rm }, rows: (rm * WG) / NL, cols: NL * RN };
}

/**
 * Tile of one conv GEMM C[M, N] (see the header of shaders/conv2d.wgsl): N <= 8 uses the narrow 4x8 register
 * tile (TN = 8, invocations along M), wider N a 4x4 tile with TN covering N up to 64. TM shrinks for small M.
 */
export function convTile(m: number, n: number, wgAtLeastTk = true, tk = TILED_TK) {
  const narrow = n <= 8;
  const TN = narrow ? 8 : n <= 16 ? 16 : n <= 32 ? 32 : 64;
  let TM = 64;
  // The forward / dX A-tile loaders need WG >= TK (narrow WG = TM / 4); backward_dw's does not.
  const minTM = narrow && wgAtLeastTk ? 4 * tk : 16;
  while (TM > minTM && TM / 2 >= m) TM /= 2;
  const WG = narrow ? TM / 4 : (TM / 4) * (TN / 4);
  return {
    TM,
    TN,
    TK: tk,
    NARROW: narrow ? 1 : 0,
    WG,
    MREP: Math.max(TM / WG, 1),
    KSTEP: Math.max(WG / TM, 1),
  };
}

/** Split-K plan for dK: enough workgroups to fill the GPU, each over at least `minChunk` of K. */
export function splitK(k: number, tilesMN: number, tk: number, target = 64, minChunk = 512) {
  const wanted = Math.max(1, Math.ceil(target / tilesMN));
  const splits = Math.max(1, Math.min(wanted, Math.floor(k / minChunk)));
  const chunk = Math.ceil(Math.ceil(k / splits) / tk) * tk;
  return { splits: Math.ceil(k / chunk), chunk };
}

/** One GEMM entry point as an op records it: shader stem, override constants, the block of C a workgroup covers. */
export interface GemmPlan {
  stem: string;
  constants: Record<string, number>;
  rows: number;
  cols: number;
  /** K-tile depth of a tiled plan (its split-K slices are multiples of it). */
  tk?: number;
}

/** Records `entry` of `plan` over C[m, n]: ceil(n / cols) x ceil(m / rows) workgroups, `z` K-slices. */
export function recordGemm(
  ctx: GpuContext,
  plan: GemmPlan,
  entry: string,
  buffers: GPUBuffer[],
  m: number,
  n: number,
  label: string,
  z = 1,
): Dispatch {
  const grid: [number, number, number] = [ceilDiv(n, plan.cols), ceilDiv(m, plan.rows), z];
  return record(ctx, plan.stem, entry, plan.constants, buffers, grid, label);
}

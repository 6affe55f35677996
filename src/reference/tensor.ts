// Plain float64 tensors for the reference ops: the test oracle the WGSL kernels are checked against.
export interface Tensor {
  shape: number[];
  data: Float64Array;
}

export function tensor(shape: number[], data?: ArrayLike<number>): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  if (data) {
    if (data.length !== size)
      throw new Error(`tensor: shape [${shape}] needs ${size} values, got ${data.length}`);
    out.set(data);
  }
  return { shape: [...shape], data: out };
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export type Padding = 'valid' | 'same';

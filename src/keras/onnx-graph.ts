// A small builder for ONNX graphs over onnx-proto's generated messages: named float/int64 initializers, nodes
// with typed attributes, fresh tensor names. Tensors of rank 4 carry their layout: Keras is NHWC, ONNX's
// Conv/Pool/BatchNormalization want NCHW, so the builder transposes on demand and remembers both forms.
import { onnx } from 'onnx-proto';

export type Layout = 'nhwc' | 'nchw';

/** A value in the graph: its name, rank, and for rank 4 which layout it is in. */
export interface Value {
  name: string;
  rank: number;
  layout: Layout;
}

type AttrValue = number | number[] | string | { float: number };

export class OnnxGraph {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private counter = 0;
  private readonly transposed = new Map<string, Value>();

  fresh(prefix: string): string {
    return `${prefix}_${++this.counter}`;
  }

  /** A float32 constant, stored little-endian in raw_data. */
  float(prefix: string, dims: number[], data: ArrayLike<number>): string {
    const name = this.fresh(prefix);
    const raw = new Uint8Array(data.length * 4);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw });
    return name;
  }

  int64(prefix: string, values: number[]): string {
    const name = this.fresh(prefix);
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => {
      view.setBigInt64(i * 8, BigInt(v), true);
    });
    this.initializers.push({
      name,
      dims: [values.length],
      dataType: onnx.TensorProto.DataType.INT64,
      rawData: raw,
    });
    return name;
  }

  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    const out = output ?? this.fresh(op.toLowerCase());
    const attribute: onnx.IAttributeProto[] = Object.entries(attrs).map(([name, v]) => {
      const T = onnx.AttributeProto.AttributeType;
      if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
      if (typeof v === 'number') return { name, type: T.INT, i: v };
      if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
      return { name, type: T.FLOAT, f: v.float };
    });
    this.nodes.push({ opType: op, input: inputs, output: [out], attribute, name: out });
    return out;
  }

  /** `v` in the wanted layout (rank-4 values only; others pass through). */
  as(v: Value, layout: Layout): Value {
    if (v.rank !== 4 || v.layout === layout) return v;
    const key = `${v.name}->${layout}`;
    const hit = this.transposed.get(key);
    if (hit) return hit;
    const perm = layout === 'nchw' ? [0, 3, 1, 2] : [0, 2, 3, 1];
    const out: Value = { name: this.node('Transpose', [v.name], { perm }), rank: 4, layout };
    this.transposed.set(key, out);
    this.transposed.set(`${out.name}->${v.layout}`, v);
    return out;
  }

  model(
    input: { name: string; dims: (number | string)[] },
    output: { name: string; dims: (number | string)[] },
  ) {
    const valueInfo = (name: string, dims: (number | string)[]): onnx.IValueInfoProto => ({
      name,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    });
    return {
      inputs: [valueInfo(input.name, input.dims)],
      outputs: [valueInfo(output.name, output.dims)],
    };
  }
}

/** Encodes a ModelProto: IR version 7 (ONNX 1.8), default domain at `opset`. */
export function encodeModel(
  graph: OnnxGraph,
  name: string,
  io: ReturnType<OnnxGraph['model']>,
  opset: number,
  producerVersion: string,
): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'Paperweight',
    producerVersion,
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: io.inputs,
      output: io.outputs,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

// ONNX export (opset 13) of a built model and its weights, for inference elsewhere (onnxruntime, TensorRT,
// OpenVINO). The input is NHWC as the page trains it ([batch, h, w, c], pixels already normalized the way
// the dataset was), the output the model's last layer (class probabilities after a softmax). Convolutions
// and pooling run in ONNX's NCHW with transposes where the layout changes; Flatten transposes back first, so
// the flattened order (and every Dense kernel after it) is Keras's channels_last order. Dropout and random
// augmentation layers are the identity, as in inference, but RandomCrop, which resizes its centred window.
import type { BuiltLayer, BuiltModel, NamedWeight } from '../model';
import { cropWindow } from '../model/augment-chain';
import { kernelToOihw } from '../model/weights';
import { onnxActivation } from './onnx-activations';
import { encodeModel, OnnxGraph, type Value } from './onnx-graph';

export const ONNX_OPSET = 13;

type Config = Record<string, unknown>;
const num = (c: Config, k: string, d = 0) => (typeof c[k] === 'number' ? (c[k] as number) : d);
const pairOf = (c: Config, k: string): [number, number] => {
  const v = c[k];
  if (Array.isArray(v)) return [v[0] as number, (v[1] ?? v[0]) as number];
  return [num(c, k, 1), num(c, k, 1)];
};

/** Explicit ONNX pads [top, left, bottom, right] for Keras's 'valid'/'same' (TF puts the odd pixel after). */
function pads(
  inH: number,
  inW: number,
  k: [number, number],
  s: [number, number],
  padding: unknown,
): number[] {
  if (padding !== 'same') return [0, 0, 0, 0];
  const total = (n: number, kk: number, ss: number) => Math.max((Math.ceil(n / ss) - 1) * ss + kk - n, 0);
  const th = total(inH, k[0], s[0]);
  const tw = total(inW, k[1], s[1]);
  return [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)];
}

class Exporter {
  readonly g = new OnnxGraph();
  constructor(private readonly weights: Map<string, NamedWeight>) {}

  weight(l: BuiltLayer, param: string): NamedWeight | null {
    return this.weights.get(`${l.layer.config.name}/${param}`) ?? null;
  }

  need(l: BuiltLayer, param: string): NamedWeight {
    const w = this.weight(l, param);
    if (!w)
      throw new Error(
        `weights for '${l.layer.config.name}/${param}' are missing; train or load the model first`,
      );
    return w;
  }

  activation(x: Value, name: string, alpha: number | undefined): Value {
    return onnxActivation(this.g, x, name, alpha);
  }

  layer(l: BuiltLayer, inputs: Value[]): Value {
    const g = this.g;
    const className: string = l.layer.className;
    const c = l.layer.config as unknown as Config;
    const x = inputs[0];
    const [inH, inW] = l.inputShape;
    const rank = l.outputShape.length + 1;
    switch (className) {
      case 'Conv2D':
      case 'DepthwiseConv2D':
      case 'SeparableConv2D': {
        const k = pairOf(c, 'kernel_size');
        const s = pairOf(c, 'strides');
        const attrs = { kernel_shape: k, strides: s, pads: pads(inH, inW, k, s, c.padding) };
        let h = g.as(x, 'nchw').name;
        if (className !== 'Conv2D') {
          // Keras's depthwise kernel [kh, kw, c, m] is a grouped conv with c groups of m outputs each.
          const dw = this.need(l, 'depthwise_kernel');
          const [kh, kw, ci, m] = dw.shape;
          const w = g.float('W', [ci * m, 1, kh, kw], kernelToOihw({ ...dw, shape: [kh, kw, 1, ci * m] }));
          const dwBias = className === 'DepthwiseConv2D' && c.use_bias !== false;
          const b = dwBias ? [g.float('B', [ci * m], this.need(l, 'bias').data)] : [];
          h = g.node('Conv', [h, w, ...b], { ...attrs, group: ci });
          if (className === 'SeparableConv2D') {
            const pw = this.need(l, 'pointwise_kernel');
            const pb = c.use_bias !== false ? [g.float('B', [pw.shape[3]], this.need(l, 'bias').data)] : [];
            h = g.node('Conv', [h, g.float('W', [pw.shape[3], pw.shape[2], 1, 1], kernelToOihw(pw)), ...pb], {
              kernel_shape: [1, 1],
            });
          }
        } else {
          const kw = this.need(l, 'kernel');
          const [kh, kww, ci, co] = kw.shape;
          const b = c.use_bias !== false ? [g.float('B', [co], this.need(l, 'bias').data)] : [];
          h = g.node('Conv', [h, g.float('W', [co, ci, kh, kww], kernelToOihw(kw)), ...b], attrs);
        }
        return this.activation({ name: h, rank: 4, layout: 'nchw' }, String(c.activation), undefined);
      }
      case 'Conv2DTranspose': {
        // y[iy*s - top + ky] += x[iy] K[ky]: ONNX ConvTranspose with pads [top, left] before and whatever
        // makes Keras's output size after (output_padding when that is negative: taps there are zero).
        const k = this.need(l, 'kernel');
        const [kh, kw, co, ci] = k.shape;
        const s = pairOf(c, 'strides');
        const [oh, ow] = l.outputShape;
        const [top, left] = pads(oh, ow, [kh, kw], s, c.padding);
        const after = [s[0] * (inH - 1) + kh - top - oh, s[1] * (inW - 1) + kw - left - ow];
        // Keras [kh, kw, out, in] to ONNX's [in, out, kh, kw]: the same transpose as a forward kernel's.
        const w = kernelToOihw(k);
        const b = c.use_bias !== false ? [g.float('B', [co], this.need(l, 'bias').data)] : [];
        const h = g.node('ConvTranspose', [g.as(x, 'nchw').name, g.float('W', [ci, co, kh, kw], w), ...b], {
          kernel_shape: [kh, kw],
          strides: s,
          pads: [top, left, Math.max(after[0], 0), Math.max(after[1], 0)],
          output_padding: [Math.max(-after[0], 0), Math.max(-after[1], 0)],
        });
        return this.activation({ name: h, rank: 4, layout: 'nchw' }, String(c.activation), undefined);
      }
      case 'UpSampling2D': {
        const [sh, sw] = pairOf(c, 'size');
        // Nearest neighbour: output pixel o reads input floor(o / size), as Keras repeats rows and columns.
        const out = g.node('Resize', [g.as(x, 'nchw').name, '', g.float('scales', [4], [1, 1, sh, sw])], {
          mode: 'nearest',
          coordinate_transformation_mode: 'asymmetric',
          nearest_mode: 'floor',
        });
        return { name: out, rank: 4, layout: 'nchw' };
      }
      case 'RandomCrop': {
        // Inference as Keras 3 does it (smart_resize): the largest centred window with the crop's aspect
        // ratio, resized bilinearly (half-pixel centres) to the crop size; the engine's gather does the same.
        const [ch, cw] = [num(c, 'height'), num(c, 'width')];
        const { top: t, left: lft, height: wh, width: ww } = cropWindow(inH, inW, ch, cw);
        const xin = g.as(x, 'nhwc');
        let name = xin.name;
        if (wh !== inH || ww !== inW) {
          const ins = [
            g.int64('starts', [t, lft]),
            g.int64('ends', [t + wh, lft + ww]),
            g.int64('axes', [1, 2]),
          ];
          name = g.node('Slice', [name, ...ins]);
        }
        if (wh !== ch || ww !== cw) {
          // sizes [N, ch, cw, C], N read from the tensor (the batch is dynamic).
          const batch = g.node('Slice', [
            g.node('Shape', [name]),
            g.int64('starts', [0]),
            g.int64('ends', [1]),
          ]);
          const channels = l.inputShape[2];
          const sizes = g.node('Concat', [batch, g.int64('sizes', [ch, cw, channels])], { axis: 0 });
          name = g.node('Resize', [name, '', '', sizes], {
            mode: 'linear',
            coordinate_transformation_mode: 'half_pixel',
          });
        }
        return { ...xin, name };
      }
      case 'Normalization': {
        // y = (x - mean) / max(sqrt(variance), 1e-7) over the last (channel) axis.
        const ch = l.inputShape[l.inputShape.length - 1];
        const mean = this.weight(l, 'mean')?.data ?? (c.mean as number[] | null);
        const variance = this.weight(l, 'variance')?.data ?? (c.variance as number[] | null);
        if (!mean || !variance)
          throw new Error(`${l.layer.config.name} (Normalization) has no mean and variance yet`);
        const scale = Array.from(variance, (v) => 1 / Math.max(Math.sqrt(v), 1e-7));
        const xin = g.as(x, 'nhwc');
        const dims = mean.length === 1 ? [] : [ch];
        const centred = g.node('Sub', [xin.name, g.float('mean', dims, mean)]);
        return { ...xin, name: g.node('Mul', [centred, g.float('inv_std', dims, scale)]) };
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const k = pairOf(c, 'pool_size');
        const s = pairOf(c, 'strides');
        const op = className === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool';
        // AveragePool's count_include_pad defaults to 0: 'same' averages only real pixels, as TF does.
        const out = g.node(op, [g.as(x, 'nchw').name], {
          kernel_shape: k,
          strides: s,
          pads: pads(inH, inW, k, s, c.padding),
        });
        return { name: out, rank: 4, layout: 'nchw' };
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D': {
        const op = className === 'GlobalAveragePooling2D' ? 'GlobalAveragePool' : 'GlobalMaxPool';
        const pooled = g.node(op, [g.as(x, 'nchw').name]);
        return { name: g.node('Reshape', [pooled, g.int64('shape', [0, -1])]), rank: 2, layout: 'nhwc' };
      }
      case 'ZeroPadding2D': {
        const [[t, b], [left, r]] = c.padding as [[number, number], [number, number]];
        const p = g.int64('pads', [0, 0, t, left, 0, 0, b, r]);
        return { name: g.node('Pad', [g.as(x, 'nchw').name, p]), rank: 4, layout: 'nchw' };
      }
      case 'Flatten':
        if (x.rank === 2) return x;
        return {
          name: g.node('Reshape', [g.as(x, 'nhwc').name, g.int64('shape', [0, -1])]),
          rank: 2,
          layout: 'nhwc',
        };
      case 'Reshape': {
        const shape = g.int64('shape', [0, ...(c.target_shape as number[])]);
        return { name: g.node('Reshape', [g.as(x, 'nhwc').name, shape]), rank, layout: 'nhwc' };
      }
      case 'Dense': {
        const k = this.need(l, 'kernel');
        const xin = g.as(x, 'nhwc');
        let h = g.node('MatMul', [xin.name, g.float('W', k.shape, k.data)]);
        if (c.use_bias !== false)
          h = g.node('Add', [h, g.float('B', [k.shape[1]], this.need(l, 'bias').data)]);
        return this.activation({ name: h, rank: xin.rank, layout: 'nhwc' }, String(c.activation), undefined);
      }
      case 'Activation':
        return this.activation(x, String(c.activation), typeof c.alpha === 'number' ? c.alpha : undefined);
      case 'BatchNormalization': {
        const ch = l.inputShape[l.inputShape.length - 1];
        const ones = new Float32Array(ch).fill(1);
        const gamma = this.weight(l, 'gamma')?.data ?? ones;
        const beta = this.weight(l, 'beta')?.data ?? new Float32Array(ch);
        const xin = g.as(x, 'nchw');
        const ins = [gamma, beta, this.need(l, 'moving_mean').data, this.need(l, 'moving_variance').data];
        const names = ins.map((d, i) => g.float(['scale', 'B', 'mean', 'var'][i], [ch], d));
        const out = g.node('BatchNormalization', [xin.name, ...names], {
          epsilon: { float: num(c, 'epsilon', 1e-3) },
        });
        return { ...xin, name: out };
      }
      case 'Rescaling': {
        const scaled = g.node('Mul', [x.name, g.float('scale', [], [num(c, 'scale', 1)])]);
        return { ...x, name: g.node('Add', [scaled, g.float('offset', [], [num(c, 'offset', 0)])]) };
      }
      case 'Dropout':
      case 'RandomFlip':
      case 'RandomTranslation':
      case 'RandomRotation':
      case 'RandomZoom':
        return x;
      case 'Add':
      case 'Subtract':
      case 'Multiply':
      case 'Maximum':
      case 'Average': {
        const layout = x.layout;
        const names = inputs.map((v) => g.as(v, layout).name);
        const ops: Record<string, string> = {
          Add: 'Sum',
          Subtract: 'Sub',
          Multiply: 'Mul',
          Maximum: 'Max',
          Average: 'Mean',
        };
        const op = ops[className];
        return { name: g.node(op, names), rank: x.rank, layout };
      }
      case 'Concatenate': {
        const layout = x.layout;
        let axis = num(c, 'axis', -1);
        if (axis < 0) axis += x.rank;
        // Keras's axes are NHWC's; in NCHW, channels (3) move to 1 and h, w shift right.
        if (x.rank === 4 && layout === 'nchw') axis = [0, 2, 3, 1][axis];
        return {
          name: g.node(
            'Concat',
            inputs.map((v) => g.as(v, layout).name),
            { axis },
          ),
          rank: x.rank,
          layout,
        };
      }
      default:
        throw new Error(
          `${l.layer.config.name} (${className}) has no ONNX export yet; export the model as .keras or .h5 and ` +
            'convert it with tf2onnx',
        );
    }
  }
}

/** The ONNX model (bytes of a ModelProto) of `model` with `weights`. */
export function exportOnnx(model: BuiltModel, weights: readonly NamedWeight[]): Uint8Array {
  const ex = new Exporter(new Map(weights.map((w) => [w.name, w])));
  const input: Value = { name: 'input', rank: model.inputShape.length + 1, layout: 'nhwc' };
  const values: Value[] = [];
  model.layers.forEach((l, i) => {
    const inbound = l.inbound ?? [i - 1];
    const ins = inbound.map((j) => (j < 0 ? input : values[j]));
    values.push(ex.layer(l, ins));
  });
  const last = ex.g.as(values[values.length - 1], 'nhwc');
  ex.g.node('Identity', [last.name], {}, 'output');
  const outShape = model.layers[model.layers.length - 1].outputShape;
  const io = ex.g.model(
    { name: 'input', dims: ['batch', ...model.inputShape] },
    { name: 'output', dims: ['batch', ...outShape] },
  );
  return encodeModel(ex.g, model.name, io, ONNX_OPSET, '0.1.0');
}

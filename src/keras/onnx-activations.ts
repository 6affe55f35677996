// Keras activations as ONNX opset-13 nodes (elementwise, layout-free; softmax over the channel axis, which is
// axis 1 of an NCHW value and the last axis otherwise).
import type { OnnxGraph, Value } from './onnx-graph';

export function onnxActivation(g: OnnxGraph, x: Value, name: string, alpha: number | undefined): Value {
  const same = (n: string): Value => ({ ...x, name: n });
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return same(g.node('Relu', [x.name]));
    case 'sigmoid':
      return same(g.node('Sigmoid', [x.name]));
    case 'tanh':
      return same(g.node('Tanh', [x.name]));
    case 'softplus':
      return same(g.node('Softplus', [x.name]));
    case 'elu':
      return same(g.node('Elu', [x.name], { alpha: { float: alpha ?? 1 } }));
    case 'leaky_relu':
      return same(g.node('LeakyRelu', [x.name], { alpha: { float: alpha ?? 0.2 } }));
    case 'selu':
      return same(g.node('Selu', [x.name]));
    case 'relu6':
      return same(g.node('Clip', [x.name, g.float('zero', [], [0]), g.float('six', [], [6])]));
    case 'swish':
      return same(g.node('Mul', [x.name, g.node('Sigmoid', [x.name])]));
    case 'gelu': {
      // x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)); ONNX's Gelu op needs opset 20.
      const erf = g.node('Erf', [g.node('Mul', [x.name, g.float('inv_sqrt2', [], [Math.SQRT1_2])])]);
      const onePlus = g.node('Add', [erf, g.float('one', [], [1])]);
      return same(g.node('Mul', [g.node('Mul', [x.name, g.float('half', [], [0.5])]), onePlus]));
    }
    case 'softmax': {
      const axis = x.rank === 4 && x.layout === 'nchw' ? 1 : -1;
      return same(g.node('Softmax', [x.name], { axis }));
    }
    default:
      throw new Error(`activation '${name}' has no ONNX export yet; export Keras (.keras/.h5) instead`);
  }
}

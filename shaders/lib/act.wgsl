// The activations, selected by the ACT override (ids ACT_<NAME> from src/ops/types.ts ACT_IDS) with ALPHA for
// elu and leaky_relu. A shader that uses this piece sets ACT and ALPHA as pipeline constants and must not
// declare them itself. Softmax (ACT_SOFTMAX) is not elementwise and lives in activations.wgsl; here it is
// the identity. Derivatives at kinks follow TensorFlow (relu'(0) = 0).
//! use math

override ACT: u32 = 0u;
override ALPHA: f32 = 0.0;

const SELU_ALPHA: f32 = 1.6732632423543772;
const SELU_SCALE: f32 = 1.0507009873554805;

fn act(v: f32) -> f32 {
  switch ACT {
    case ACT_RELU: { return max(v, 0.0); }
    case ACT_SIGMOID: { return sigmoid(v); }
    case ACT_TANH: { return safeTanh(v); }
    case ACT_ELU: { return select(ALPHA * (exp(v) - 1.0), v, v > 0.0); }
    case ACT_LEAKY_RELU: { return select(ALPHA * v, v, v > 0.0); }
    case ACT_RELU6: { return clamp(v, 0.0, 6.0); }
    case ACT_SELU: { return SELU_SCALE * select(SELU_ALPHA * (exp(v) - 1.0), v, v > 0.0); }
    case ACT_SOFTPLUS: { return softplus(v); }
    case ACT_SWISH: { return v * sigmoid(v); }
    case ACT_GELU: { return 0.5 * v * (1.0 + erf(v * 0.7071067811865476)); }
    default: { return v; }
  }
}

/** d act / dv at input v with output y = act(v). */
fn actGrad(v: f32, y: f32) -> f32 {
  switch ACT {
    case ACT_RELU: { return select(0.0, 1.0, v > 0.0); }
    case ACT_SIGMOID: { return y * (1.0 - y); }
    case ACT_TANH: { return 1.0 - y * y; }
    case ACT_ELU: { return select(ALPHA * exp(v), 1.0, v > 0.0); }
    case ACT_LEAKY_RELU: { return select(ALPHA, 1.0, v > 0.0); }
    case ACT_RELU6: { return select(0.0, 1.0, v > 0.0 && v < 6.0); }
    case ACT_SELU: { return select(SELU_SCALE * SELU_ALPHA * exp(v), SELU_SCALE, v > 0.0); }
    case ACT_SOFTPLUS: { return sigmoid(v); }
    case ACT_SWISH: {
      let s = sigmoid(v);
      return s * (1.0 + v * (1.0 - s));
    }
    case ACT_GELU: {
      return 0.5 * (1.0 + erf(v * 0.7071067811865476)) + v * exp(-0.5 * v * v) * 0.3989422804014327;
    }
    default: { return 1.0; }
  }
}

/**
 * act'(z) written as a function of y = act(z) alone, for the activations whose derivative allows it (the ones
 * conv2d and dense fuse: src/ops/common.ts FUSABLE). Others return 1.
 */
fn actGradFromY(y: f32) -> f32 {
  switch ACT {
    case ACT_RELU: { return select(0.0, 1.0, y > 0.0); }
    case ACT_SIGMOID: { return y * (1.0 - y); }
    case ACT_TANH: { return 1.0 - y * y; }
    case ACT_ELU: { return select(y + ALPHA, 1.0, y > 0.0); }
    case ACT_LEAKY_RELU: { return select(ALPHA, 1.0, y > 0.0); }
    case ACT_RELU6: { return select(0.0, 1.0, y > 0.0 && y < 6.0); }
    case ACT_SELU: { return select(y + SELU_SCALE * SELU_ALPHA, SELU_SCALE, y > 0.0); }
    case ACT_SOFTPLUS: { return 1.0 - exp(-y); }
    default: { return 1.0; }
  }
}

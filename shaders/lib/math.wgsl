// Numerically careful scalar functions shared by the activations and losses, and integer floor division.

/** 1 / (1 + e^-v) without overflow: e^-|v| never exceeds 1. */
fn sigmoid(v: f32) -> f32 {
  let e = exp(-abs(v));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), v >= 0.0);
}

/** tanh through e^-2|v|, so large |v| gives +-1 rather than inf / inf. */
fn safeTanh(v: f32) -> f32 {
  let e = exp(-2.0 * abs(v));
  return sign(v) * (1.0 - e) / (1.0 + e);
}

/** Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: WGSL has no erf. */
fn erf(v: f32) -> f32 {
  let a = abs(v);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign(v) * (1.0 - poly * exp(-a * a));
}

/** log(1 + e^v) without overflow. */
fn softplus(v: f32) -> f32 {
  return max(v, 0.0) + log(1.0 + exp(-abs(v)));
}

/** NaN or +-Inf: the exponent bits all set. */
fn nonFinite(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) == 0x7f800000u;
}

/** floor(a / b) for b > 0 and any sign of a (WGSL's / truncates toward 0). */
fn floorDiv(a: i32, b: i32) -> i32 {
  return select((a - b + 1) / b, a / b, a >= 0);
}

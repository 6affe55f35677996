// Index arithmetic of NHWC tensors.

/** (b, y, x, c) of element i of a [batch, h, w, ch] tensor. */
fn nhwcOf(i: u32, h: u32, w: u32, ch: u32) -> vec4<u32> {
  return vec4<u32>(i / (ch * w * h), (i / (ch * w)) % h, (i / ch) % w, i % ch);
}

/** Flat index of (b, y, x, c) in a [batch, h, w, ch] tensor. */
fn nhwcAt(p: vec4<u32>, h: u32, w: u32, ch: u32) -> u32 {
  return ((p.x * h + p.y) * w + p.z) * ch + p.w;
}

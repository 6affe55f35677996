// Counter-based randomness: `pcg(v)`, a PCG-style hash (O'Neill's RXS-M-XS output on one LCG step), wrapping
// u32, bit-exact with pcgHash of src/reference/dropout.ts. Dropout masks and the batch gather's augmentation
// draws hash (seed, step, index) through it, so nothing random is stored or uploaded per step.

fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

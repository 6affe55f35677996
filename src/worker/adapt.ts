// Fits one uint8 HWC image to another size, as the trainer's batch gather does on the GPU: zero padding
// centred ('pad', cropping centred when smaller) or bilinear resizing ('resize'). Used for predictions made
// without a dataset on the GPU (the trainer then takes images at the model's own input size).
export function adaptImage(
  src: Uint8Array,
  h: number,
  w: number,
  c: number,
  dstH: number,
  dstW: number,
  dstC: number,
  mode: 'pad' | 'resize',
): Uint8Array {
  const out = new Uint8Array(dstH * dstW * dstC);
  const pick = (y: number, x: number, ch: number) => {
    const base = (y * w + x) * c;
    if (dstC === c) return src[base + ch];
    if (dstC === 1)
      return c >= 3 ? 0.299 * src[base] + 0.587 * src[base + 1] + 0.114 * src[base + 2] : src[base];
    return src[base + Math.min(ch, c - 1)];
  };
  if (mode === 'pad' || (h === dstH && w === dstW)) {
    const oy = Math.floor((dstH - h) / 2);
    const ox = Math.floor((dstW - w) / 2);
    for (let y = 0; y < dstH; y++) {
      const sy = y - oy;
      if (sy < 0 || sy >= h) continue;
      for (let x = 0; x < dstW; x++) {
        const sx = x - ox;
        if (sx < 0 || sx >= w) continue;
        for (let ch = 0; ch < dstC; ch++) out[(y * dstW + x) * dstC + ch] = Math.round(pick(sy, sx, ch));
      }
    }
    return out;
  }
  // Bilinear with half-pixel centres (align_corners=false), as tf.image.resize does.
  for (let y = 0; y < dstH; y++) {
    const fy = Math.min(h - 1, Math.max(0, ((y + 0.5) * h) / dstH - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const dy = fy - y0;
    for (let x = 0; x < dstW; x++) {
      const fx = Math.min(w - 1, Math.max(0, ((x + 0.5) * w) / dstW - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w - 1, x0 + 1);
      const dx = fx - x0;
      for (let ch = 0; ch < dstC; ch++) {
        const v =
          (1 - dy) * ((1 - dx) * pick(y0, x0, ch) + dx * pick(y0, x1, ch)) +
          dy * ((1 - dx) * pick(y1, x0, ch) + dx * pick(y1, x1, ch));
        out[(y * dstW + x) * dstC + ch] = Math.round(v);
      }
    }
  }
  return out;
}

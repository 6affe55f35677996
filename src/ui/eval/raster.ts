// A drawing on a canvas as one dataset image: MNIST-style, the ink's bounding box scaled to fit 20x20 and
// centred by its centre of mass in the 28x28 frame (scaled for other sizes), white ink on black, uint8.
export function canvasToImage(src: HTMLCanvasElement, h: number, w: number, channels: number): Uint8Array {
  const sctx = src.getContext('2d')!;
  const { width: W, height: H } = src;
  const px = sctx.getImageData(0, 0, W, H).data;
  let x0 = W;
  let y0 = H;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      if (px[(y * W + x) * 4] > 20) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  const out = document.createElement('canvas');
  out.width = w;
  out.height = h;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, w, h);
  if (x1 >= 0) {
    const box = Math.max(x1 - x0 + 1, y1 - y0 + 1);
    const target = Math.min(h, w) * (20 / 28);
    const s = target / box;
    const dw = (x1 - x0 + 1) * s;
    const dh = (y1 - y0 + 1) * s;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(src, x0, y0, x1 - x0 + 1, y1 - y0 + 1, (w - dw) / 2, (h - dh) / 2, dw, dh);
  }
  const d = ctx.getImageData(0, 0, w, h).data;
  const img = new Uint8Array(h * w * channels);
  for (let p = 0; p < h * w; p++)
    for (let c = 0; c < channels; c++) img[p * channels + c] = d[p * 4 + Math.min(c, 2)];
  return img;
}

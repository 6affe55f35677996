// Reference UpSampling2D (nearest), NHWC, float64: each input pixel becomes a size[0] x size[1] block,
//   y[n, oy, ox, c] = x[n, floor(oy / sh), floor(ox / sw), c];   dX[n, iy, ix, c] = sum of dY over its block.
import { type Tensor, tensor } from './tensor';

export function upsampling2dForward(x: Tensor, size: [number, number]): Tensor {
  const [n, h, w, c] = x.shape;
  const [sh, sw] = size;
  const y = tensor([n, h * sh, w * sw, c]);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < h * sh; oy++)
      for (let ox = 0; ox < w * sw; ox++)
        for (let k = 0; k < c; k++) {
          const src = ((b * h + Math.floor(oy / sh)) * w + Math.floor(ox / sw)) * c + k;
          y.data[((b * h * sh + oy) * w * sw + ox) * c + k] = x.data[src];
        }
  return y;
}

export function upsampling2dBackward(x: Tensor, dY: Tensor, size: [number, number]): Tensor {
  const [n, h, w, c] = x.shape;
  const [sh, sw] = size;
  const want = [n, h * sh, w * sw, c];
  if (dY.shape.join() !== want.join())
    throw new Error(`upsampling2d: dY must be [${want}], got [${dY.shape}]`);
  const dX = tensor(x.shape);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < h * sh; oy++)
      for (let ox = 0; ox < w * sw; ox++)
        for (let k = 0; k < c; k++) {
          const dst = ((b * h + Math.floor(oy / sh)) * w + Math.floor(ox / sw)) * c + k;
          dX.data[dst] += dY.data[((b * h * sh + oy) * w * sw + ox) * c + k];
        }
  return dX;
}

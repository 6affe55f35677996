// Flatten is free: NHWC is already row-major [batch, h*w*c], so the trainer aliases y to x and dX to dY.
import { statelessOp } from './common';
import type { LayerOpFactory } from './types';

export const createFlatten: LayerOpFactory = (_ctx, layer, io) => {
  const name = layer.layer.config.name;
  if (io.y !== io.x || (io.dX !== null && io.dX !== io.dY)) {
    throw new Error(
      `${name} (Flatten): the trainer must pass y === x and dX === dY (Flatten has no kernels)`,
    );
  }
  return statelessOp(name, [], []);
};

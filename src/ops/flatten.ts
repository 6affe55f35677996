// Flatten is free: NHWC is already row-major [batch, h*w*c], so the trainer aliases y to x and dX to dY.
import type { GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import type { LayerBuffers, LayerOp, LayerOpOptions } from './types';

export function createFlatten(
  _ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  _opts: LayerOpOptions,
): LayerOp {
  const name = layer.layer.config.name;
  if (io.y !== io.x || (io.dX !== null && io.dX !== io.dY)) {
    throw new Error(
      `${name} (Flatten): the trainer must pass y === x and dX === dY (Flatten has no kernels)`,
    );
  }
  return { layerName: name, forwardTrain: [], forwardInfer: [], backward: [] };
}

// The augmentation layers (RandomFlip, RandomTranslation, RandomRotation, RandomZoom, RandomCrop) have no kernels
// of their own: the batch gather applies them (src/model/augment-chain.ts, shaders/batch.wgsl) in training and
// their inference form (RandomCrop's centred resize) otherwise, so the trainer aliases y to x, as for Flatten.
import type { GpuContext } from '../gpu/context';
import type { BuiltLayer } from '../model/sequential';
import type { LayerBuffers, LayerOp, LayerOpOptions } from './types';

export function createAugmentAlias(
  _ctx: GpuContext,
  layer: BuiltLayer,
  io: LayerBuffers,
  _opts: LayerOpOptions,
): LayerOp {
  const name = layer.layer.config.name;
  if (io.y !== io.x || io.dX !== null) {
    throw new Error(
      `${name} (${layer.layer.className}): the trainer must pass y === x and no dX (the batch gather augments)`,
    );
  }
  return { layerName: name, forwardTrain: [], forwardInfer: [], backward: [] };
}

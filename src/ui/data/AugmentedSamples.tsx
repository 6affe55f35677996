// The sample grid's second row: the same samples as the model sees them in training, through its head
// augmentation layers. Computed with the float64 reference gather (src/reference/batch.ts), the same hash and
// math as the GPU gather, re-rolled every two seconds (the draw's step counts up, as training steps do).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Dataset } from '../../data/types';
import { augmentChain } from '../../model/augment-chain';
import type { BuiltModel } from '../../model/sequential';
import { gatherBatch } from '../../reference/batch';
import { gridCanvas } from '../common/images';

const REROLL_MS = 2000;
/** Any seed: the page shows what the augmentation does, not one run's exact draws. */
const SEED = 1;

interface Props {
  dataset: Dataset;
  model: BuiltModel | null;
  /** Dataset indices of the samples shown above, in order. */
  indices: number[];
  cols: number;
}

export function AugmentedSamples({ dataset, model, indices, cols }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [roll, setRoll] = useState(0);
  const [differs, setDiffers] = useState(0);
  const chain = useMemo(() => {
    try {
      const c = model ? augmentChain(model) : null;
      // The model's input must take the dataset's channels; otherwise training refuses it anyway.
      return c && model?.inputShape[2] === dataset.channels ? c : null;
    } catch {
      return null;
    }
  }, [model, dataset.channels]);

  useEffect(() => {
    if (!chain) return;
    const t = setInterval(() => setRoll((r) => r + 1), REROLL_MS);
    return () => clearInterval(t);
  }, [chain]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !chain || indices.length === 0) return;
    const { height: h, width: w, channels: C } = dataset;
    const fits = h <= chain.inH && w <= chain.inW;
    const opts = {
      srcH: h,
      srcW: w,
      channels: C,
      dstH: chain.inH,
      dstW: chain.inW,
      mode: fits ? ('pad' as const) : ('resize' as const),
      // Display values: 0..1 (a constant fill outside that range is clamped when drawn).
      normalization: { kind: 'scale255' as const },
    };
    const rows = Int32Array.from(indices);
    const images = dataset.train.images.subarray(0, dataset.train.count * h * w * C);
    const augment = { chain, draw: { seed: SEED, step: roll }, training: true };
    const seen = gatherBatch(images, rows, { ...opts, augment }).data;
    const plain = gatherBatch(images, rows, { ...opts, augment: { ...augment, training: false } }).data;
    const oh = chain.outH;
    const ow = chain.outW;
    const size = oh * ow * C;
    let changed = 0;
    for (let i = 0; i < indices.length; i++) {
      for (let k = i * size; k < (i + 1) * size; k++) {
        if (Math.abs(seen[k] - plain[k]) > 1e-6) {
          changed++;
          break;
        }
      }
    }
    setDiffers(changed);
    const scale = Math.max(1, Math.round(40 / Math.max(oh, ow)));
    const cellW = ow * scale + 6;
    const cellH = oh * scale + 6;
    const nRows = Math.ceil(indices.length / cols);
    const ctx = gridCanvas(c, cols, nRows, cellW, cellH);
    const tile = document.createElement('canvas');
    tile.width = ow;
    tile.height = oh;
    const tctx = tile.getContext('2d')!;
    const img = tctx.createImageData(ow, oh);
    indices.forEach((_, i) => {
      for (let p = 0; p < oh * ow; p++) {
        for (let ch = 0; ch < 3; ch++) {
          const v = seen[i * size + p * C + (C >= 3 ? ch : 0)];
          img.data[p * 4 + ch] = Math.round(Math.min(Math.max(v, 0), 1) * 255);
        }
        img.data[p * 4 + 3] = 255;
      }
      tctx.putImageData(img, 0, 0);
      ctx.drawImage(tile, (i % cols) * cellW + 3, Math.floor(i / cols) * cellH + 3, ow * scale, oh * scale);
    });
  }, [chain, dataset, indices, cols, roll]);

  if (!chain) return null;
  const names = chain.stages.map((s) => s.kind).join(', ');
  return (
    <figure
      className="samples-augmented"
      style={{ margin: '8px 0 0', width: '100%' }}
      data-testid="sample-augmented"
      data-differs={differs}
      data-roll={roll}
    >
      <figcaption style={{ fontSize: '12px', color: '#5b574f', margin: '0 0 4px' }}>
        As the model sees them in training: after its augmentation layers ({names}), drawn again every{' '}
        {REROLL_MS / 1000} s. Evaluation and prediction see the samples above
        {chain.stages.some((s) => s.kind === 'crop') ? ' (resized to the crop size)' : ''}.
      </figcaption>
      <canvas ref={canvas} aria-label={`${indices.length} training samples after the augmentation layers`} />
    </figure>
  );
}

// A grid of training samples with their labels; clicking one makes it the diagram's live sample. With
// augmentation layers at the model's head, a second grid shows the same samples as training sees them.
import { useEffect, useMemo, useRef } from 'react';
import { useDataset } from '../../store/dataset';
import { useModel } from '../../store/model';
import { useTraining } from '../../store/training';
import { gridCanvas, putImage } from '../common/images';
import { AugmentedSamples } from './AugmentedSamples';

const COLS = 12;
const ROWS = 3;

export function SampleGrid() {
  const dataset = useDataset((s) => s.dataset);
  const chosen = useTraining((s) => s.sampleIndex);
  const model = useModel((s) => s.built);
  const canvas = useRef<HTMLCanvasElement>(null);
  const n = Math.min(COLS * ROWS, dataset?.train.count ?? 0);
  // Spread the picks over the set so a folder sorted by class shows every class.
  const pick = (i: number) => (dataset ? Math.floor((i * dataset.train.count) / Math.max(1, n)) : 0);

  const rows = Math.max(1, Math.ceil(n / COLS));
  // biome-ignore lint/correctness/useExhaustiveDependencies: pick reads only dataset and n
  const shown = useMemo(() => Array.from({ length: n }, (_, i) => pick(i)), [dataset, n]);
  useEffect(() => {
    const c = canvas.current;
    if (!c || !dataset) return;
    const { height: h, width: w, channels } = dataset;
    // Images are scaled up crisply (no smoothing) so the labels can be drawn sharp at the same resolution.
    const scale = Math.max(1, Math.round(40 / Math.max(h, w)));
    const tile = document.createElement('canvas');
    tile.width = w;
    tile.height = h;
    const tctx = tile.getContext('2d')!;
    const iw = w * scale;
    const ih = h * scale;
    const cellW = iw + 6;
    const cellH = ih + 16;
    const ctx = gridCanvas(c, COLS, rows, cellW, cellH);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (let i = 0; i < n; i++) {
      const idx = pick(i);
      const x = (i % COLS) * cellW + 3;
      const y = Math.floor(i / COLS) * cellH + 3;
      putImage(tctx, dataset.train.images, idx, h, w, channels);
      ctx.drawImage(tile, x, y, iw, ih);
      if (idx === chosen) {
        ctx.strokeStyle = '#2d4f86';
        ctx.lineWidth = 3;
        ctx.strokeRect(x - 1.5, y - 1.5, iw + 3, ih + 3);
      }
      ctx.fillStyle = '#5b574f';
      const name = dataset.classNames[dataset.train.labels[idx]] ?? '?';
      ctx.fillText(name, x + iw / 2, y + ih + 12, cellW - 2);
    }
  });

  if (!dataset) return null;
  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const c = canvas.current!;
    const r = c.getBoundingClientRect();
    const col = Math.floor(((e.clientX - r.left) / r.width) * COLS);
    const row = Math.floor(((e.clientY - r.top) / r.height) * rows);
    const i = row * COLS + col;
    if (i >= 0 && i < n) useTraining.getState().setSample(pick(i));
  };
  return (
    <div className="samples">
      <canvas ref={canvas} onClick={onClick} aria-label={`${n} training samples with their labels`} />
      <AugmentedSamples dataset={dataset} model={model} indices={shown} cols={COLS} />
    </div>
  );
}

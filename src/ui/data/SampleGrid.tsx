// A grid of training samples with their labels; clicking one makes it the diagram's live sample.
import { useEffect, useRef } from 'react';
import { useDataset } from '../../store/dataset';
import { useTraining } from '../../store/training';
import { setSample } from '../../worker/client';
import { putImage } from '../common/images';

const COLS = 12;
const ROWS = 3;

export function SampleGrid() {
  const dataset = useDataset((s) => s.dataset);
  const chosen = useTraining((s) => s.sampleIndex);
  const canvas = useRef<HTMLCanvasElement>(null);
  const n = Math.min(COLS * ROWS, dataset?.train.count ?? 0);
  // Spread the picks over the set so a folder sorted by class shows every class.
  const pick = (i: number) => (dataset ? Math.floor((i * dataset.train.count) / Math.max(1, n)) : 0);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !dataset) return;
    const { height: h, width: w, channels } = dataset;
    const cellW = w + 4;
    const cellH = h + 14;
    c.width = COLS * cellW;
    c.height = ROWS * cellH;
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = '#fffefa';
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (let i = 0; i < n; i++) {
      const idx = pick(i);
      const x = (i % COLS) * cellW + 2;
      const y = Math.floor(i / COLS) * cellH + 2;
      putImage(ctx, dataset.train.images, idx, h, w, channels, x, y);
      if (idx === chosen) {
        ctx.strokeStyle = '#2d4f86';
        ctx.lineWidth = 2;
        ctx.strokeRect(x - 1, y - 1, w + 2, h + 2);
      }
      ctx.fillStyle = '#5b574f';
      const name = dataset.classNames[dataset.train.labels[idx]] ?? '?';
      ctx.fillText(name.length > 8 ? `${name.slice(0, 7)}…` : name, x + w / 2, y + h + 10, cellW);
    }
  });

  if (!dataset) return null;
  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const c = canvas.current!;
    const r = c.getBoundingClientRect();
    const col = Math.floor(((e.clientX - r.left) / r.width) * COLS);
    const row = Math.floor(((e.clientY - r.top) / r.height) * ROWS);
    const i = row * COLS + col;
    if (i >= 0 && i < n) setSample(pick(i));
  };
  return (
    <div className="samples">
      <canvas ref={canvas} onClick={onClick} aria-label={`${n} training samples with their labels`} />
    </div>
  );
}

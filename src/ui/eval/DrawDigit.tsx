// Draw a digit with the mouse (or finger) and see the trained network's prediction as you draw.
import { useEffect, useRef, useState } from 'react';
import { useDataset } from '../../store/dataset';
import { useModel } from '../../store/model';
import { predictImage } from '../../store/predict';
import { useTraining } from '../../store/training';
import { canvasToImage } from './raster';

const SIZE = 168;

export function DrawDigit() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [probs, setProbs] = useState<Float32Array | null>(null);
  const [error, setError] = useState<string | null>(null);
  const drawing = useRef(false);
  const pending = useRef(false);
  const again = useRef(false);
  const dataset = useDataset((s) => s.dataset);
  const ready = useTraining((s) => s.weights !== null && s.weightsCode === useModel.getState().appliedCode);
  const names = dataset?.classNames ?? [];

  const clear = () => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, SIZE, SIZE);
    setProbs(null);
  };
  useEffect(clear, []);

  const predict = () => {
    if (!canvas.current || !dataset) return;
    if (pending.current) {
      again.current = true;
      return;
    }
    const image = canvasToImage(canvas.current, dataset.height, dataset.width, dataset.channels);
    const p = predictImage(image);
    if (!p) return;
    pending.current = true;
    p.then((r) => {
      setProbs(r.probs.length > 0 ? r.probs : null);
      setError(r.error ?? null);
    }).finally(() => {
      pending.current = false;
      if (again.current) {
        again.current = false;
        predict();
      }
    });
  };

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * SIZE, ((e.clientY - r.top) / r.height) * SIZE] as const;
  };
  const last = useRef<readonly [number, number] | null>(null);
  const stroke = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const ctx = e.currentTarget.getContext('2d')!;
    const p = point(e);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 14;
    ctx.lineCap = 'round';
    ctx.beginPath();
    const from = last.current ?? p;
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(p[0], p[1]);
    ctx.stroke();
    last.current = p;
    predict();
  };

  const best = probs ? probs.indexOf(Math.max(...probs)) : -1;
  return (
    <div className="draw">
      <canvas
        ref={canvas}
        width={SIZE}
        height={SIZE}
        aria-label="Drawing canvas: draw a digit with the mouse"
        onPointerDown={(e) => {
          drawing.current = true;
          last.current = null;
          e.currentTarget.setPointerCapture(e.pointerId);
          stroke(e);
        }}
        onPointerMove={stroke}
        onPointerUp={() => {
          drawing.current = false;
          predict();
        }}
      />
      <div>
        <button type="button" className="btn small" onClick={clear}>
          Clear
        </button>
        {!ready && (
          <div className="small muted" style={{ marginTop: 6 }}>
            Train the model to predict what you draw.
          </div>
        )}
        {error && (
          <div className="small" style={{ color: 'var(--bad)', marginTop: 6 }}>
            {error}
          </div>
        )}
        {probs && (
          <div className="probs" style={{ marginTop: 8 }} aria-live="polite">
            {Array.from(probs).map((p, i) => (
              <Row key={names[i] ?? i} name={names[i] ?? String(i)} p={p} best={i === best} />
            ))}
          </div>
        )}
      </div>
    </div>
  );
}

function Row({ name, p, best }: { name: string; p: number; best: boolean }) {
  return (
    <>
      <span className={best ? 'best' : ''}>{name}</span>
      <span className="bar">
        <div style={{ width: `${p * 100}%` }} />
      </span>
      <span className={`num ${best ? 'best' : ''}`}>{(p * 100).toFixed(1)}%</span>
    </>
  );
}

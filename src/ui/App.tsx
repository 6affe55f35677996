// The page: model on the left (code, summary), the diagram as the hero, training and curves, data,
// evaluation and export. Files can be dropped anywhere.
import { useEffect, useState } from 'react';
import { Curves } from './curves/Curves';
import { DataPanel } from './data/DataPanel';
import { loadDataTransfer } from './data/load';
import { Diagram } from './diagram/Diagram';
import { EvalPanel } from './eval/EvalPanel';
import { ExportPanel } from './export/ExportPanel';
import { FitLog } from './fitlog/FitLog';
import { Banners, Header } from './header/Header';
import { LearnedPanel } from './learned/LearnedPanel';
import { ModelPanel } from './model/ModelPanel';
import { SummaryTable } from './model/SummaryTable';
import { RunList } from './runs/RunList';
import { TrainingPanel } from './training/TrainingPanel';

function useDropAnywhere(): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overFn = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const drop = (e: DragEvent) => {
      if (!e.dataTransfer || !hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      void loadDataTransfer(e.dataTransfer);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overFn);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return over;
}

export function App() {
  const dragging = useDropAnywhere();
  return (
    <>
      <Header />
      <Banners />
      <main className="layout">
        <div className="hero">
          <Diagram />
        </div>
        <div className="col">
          <ModelPanel />
          <SummaryTable />
          <ExportPanel />
        </div>
        <div className="col">
          <div className="row2">
            <TrainingPanel />
            <Curves />
          </div>
          <div className="row2c">
            <FitLog />
            <RunList />
          </div>
          <LearnedPanel />
          <div className="row2b">
            <DataPanel />
            <EvalPanel />
          </div>
        </div>
      </main>
      {dragging && <div className="drop-overlay">Drop to load the dataset</div>}
    </>
  );
}

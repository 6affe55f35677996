// The hero: the network drawn the way its paper draws it (LeNet-5's chain of stacks, AlexNet's two streams, a
// graph for branching models), with the live feature maps of one sample.
import { useEffect, useMemo, useRef, useState } from 'react';
import { PRESETS } from '../../model/code-presets';
import { useDataset } from '../../store/dataset';
import { useModel } from '../../store/model';
import { useTraining } from '../../store/training';
import { useUi } from '../../store/ui';
import { inputDataUrl } from '../common/images';
import { downloadBlob } from '../export/download';
import { useErrorLayer } from '../model/linked';
import { Block, Connector, FONT, imagesFor, OpLabels } from './Blocks';
import { GraphDrawing } from './GraphDiagram';
import { type GraphNode, isGraph, layoutGraph } from './graph-layout';
import type { LayerLink } from './LayerGroup';
import { type DiagramBlock, layoutDiagram } from './layout';
import { SamplePicker } from './SamplePicker';
import { svgText, svgToPngBlob } from './svg-export';
import { TwoStreamDrawing } from './TwoStream';
import { layoutTwoStream } from './two-stream';

/**
 * Fits the network to the panel: a little larger on wide screens, shrunk down to 60% for deep networks (text
 * stays readable); beyond that the panel scrolls.
 */
function fitScale(width: number, box: number): number {
  if (box <= 0) return 1;
  return Math.max(0.6, Math.min(1.25, (box - 8) / width));
}

/** A graph is never shrunk (its labels are small already): a long one scrolls sideways. */
function graphScale(width: number, box: number): number {
  return box <= 0 ? 1 : Math.max(1, Math.min(1.25, (box - 8) / width));
}

export function Diagram() {
  const built = useModel((s) => s.built);
  // The figure its paper draws, for a preset applied as it is (edited code is drawn as a plain chain).
  const figure = useModel((s) => PRESETS.find((p) => p.code === s.appliedCode)?.figure);
  const activeLayer = useUi((s) => s.activeLayer);
  const { setActiveLayer, revealLayer } = useUi.getState();
  const errorLayer = useErrorLayer();
  const activations = useTraining((s) => s.activations);
  const sampleIndex = useTraining((s) => s.sampleIndex);
  const dataset = useDataset((s) => s.dataset);
  const svgRef = useRef<SVGSVGElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [boxWidth, setBoxWidth] = useState(0);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setBoxWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // A functional model with branches is drawn as a graph; a chain the way the LeNet-5 paper draws it.
  const graph = useMemo(() => (built && isGraph(built) ? layoutGraph(built) : null), [built]);
  const streams = useMemo(
    () => (built && !graph && figure === 'two-stream' ? layoutTwoStream(built) : null),
    [built, graph, figure],
  );
  const layout = useMemo(
    () => (built && !graph && !streams ? layoutDiagram(built) : null),
    [built, graph, streams],
  );
  const link = (layers: string[], layerName: string | null): LayerLink => ({
    active: activeLayer !== null && (layerName === activeLayer || layers.includes(activeLayer)),
    error: errorLayer !== null && layers.includes(errorLayer),
    onActive: setActiveLayer,
    onReveal: revealLayer,
  });
  const nodeLink = {
    active: (n: GraphNode) => activeLayer !== null && n.layers.includes(activeLayer),
    error: (n: GraphNode) => errorLayer !== null && n.layers.includes(errorLayer),
    onActive: setActiveLayer,
    onReveal: revealLayer,
  };
  const inputAdapt = useDataset((s) => s.inputAdapt);
  // The input block shows the sample as the network sees it (padded or resized to the input size).
  const inputUrl = useMemo(
    () => (dataset ? inputDataUrl(dataset, sampleIndex, built?.inputShape ?? null, inputAdapt) : null),
    [dataset, sampleIndex, built, inputAdapt],
  );
  const images = useMemo(() => {
    if (!layout) return [];
    const byName = new Map((activations ?? []).map((a) => [a.layerName, a]));
    return layout.blocks.map((b) =>
      imagesFor(b, b.layerName ? byName.get(b.layerName) : undefined, inputUrl),
    );
  }, [layout, activations, inputUrl]);

  const exportSvg = () => {
    if (svgRef.current)
      downloadBlob(new Blob([svgText(svgRef.current)], { type: 'image/svg+xml' }), 'network.svg');
  };
  const exportPng = async () => {
    if (svgRef.current) downloadBlob(await svgToPngBlob(svgRef.current, 2), 'network.png');
  };
  const drawn = graph ?? streams ?? layout;
  const blockLabels = (blocks: DiagramBlock[]) => blocks.map((b) => b.lines.join(' ')).join(', ');
  const scale = drawn ? (graph ? graphScale : fitScale)(drawn.width, boxWidth) : 1;

  return (
    <section className="card diagram-card" aria-labelledby="diagram-title">
      <div className="card-head">
        <h2 id="diagram-title">Network</h2>
        <span className="muted small">
          {activations ? 'live feature maps of the chosen sample' : 'feature maps appear while training'}
        </span>
        <span className="spacer" />
        <SamplePicker />
        <button
          type="button"
          className="btn small"
          data-testid="export-svg"
          onClick={exportSvg}
          disabled={!drawn}
        >
          SVG
        </button>
        <button
          type="button"
          className="btn small"
          data-testid="export-png"
          onClick={() => void exportPng()}
          disabled={!drawn}
        >
          PNG
        </button>
      </div>
      <div className="diagram-scroll" ref={scroller}>
        {drawn && (
          <svg
            ref={svgRef}
            data-testid="network-diagram"
            data-graph={graph ? 'true' : undefined}
            data-figure={streams ? 'two-stream' : undefined}
            xmlns="http://www.w3.org/2000/svg"
            width={Math.round(drawn.width * scale)}
            height={Math.round(drawn.height * scale)}
            viewBox={`0 0 ${drawn.width} ${drawn.height}`}
            role="img"
            aria-label={
              graph
                ? `Graph of ${built?.name}: ${graph.nodes.length} blocks, ${graph.edges.filter((e) => e.skip).length} skip connections`
                : streams
                  ? `Diagram of ${built?.name} in two streams, as its paper draws it: ${blockLabels(streams.blocks.filter((b) => b.stream !== 2))}`
                  : `Diagram of ${built?.name}: ${blockLabels(layout?.blocks ?? [])}`
            }
            fontFamily={FONT}
          >
            {graph && (
              <GraphDrawing layout={graph} activations={activations} inputUrl={inputUrl} link={nodeLink} />
            )}
            {streams && (
              <TwoStreamDrawing
                layout={streams}
                activations={activations}
                inputUrl={inputUrl}
                link={(b) => link(b.layers, b.layerName)}
              />
            )}
            {layout && (
              <>
                <rect x={0} y={0} width={layout.width} height={layout.height} fill="#fffefa" />
                {layout.blocks.map((b, i) => (
                  <Block
                    key={`b${b.cx}`}
                    b={b}
                    images={images[i]}
                    labelY={layout.labelY}
                    link={link(b.layers, b.layerName)}
                  />
                ))}
                {layout.blocks.slice(1).map((b, i) => (
                  <Connector key={`c${b.cx}`} a={layout.blocks[i]} b={b} />
                ))}
                <OpLabels ops={layout.ops} y={layout.opY} />
              </>
            )}
          </svg>
        )}
      </div>
    </section>
  );
}

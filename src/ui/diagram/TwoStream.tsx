// AlexNet drawn as its paper's Figure 2 (see two-stream.ts): two streams of half-size blocks, straight
// connectors inside a stream, crossing arrows where the streams exchange data, a caption saying what the
// streams are.
import type { ActivationMap } from '../../train/types';
import { Block, Connector, FONT, INK, INK2, imagesFor, OpLabels } from './Blocks';
import type { LayerLink } from './LayerGroup';
import type { StreamBlock, StreamLink, TwoStreamLayout } from './two-stream';

const CROSS = '#b5532d';

/** A straight arrow from a block's front to the next block: the split, the merge, and the crossings. */
function Arrow({ l }: { l: StreamLink }) {
  const right = (k: StreamBlock) => k.x + k.w;
  const mid = (k: StreamBlock) => k.y + k.h / 2;
  return (
    <line
      data-testid={l.cross ? 'stream-cross' : undefined}
      x1={right(l.from)}
      y1={mid(l.from)}
      x2={l.to.x - 2}
      y2={mid(l.to)}
      stroke={l.cross ? CROSS : INK2}
      strokeWidth={l.cross ? 1.1 : 0.8}
      markerEnd={l.cross ? 'url(#pw-cross)' : 'url(#pw-arrow2)'}
    />
  );
}

export function TwoStreamDrawing({
  layout,
  activations,
  inputUrl,
  link,
}: {
  layout: TwoStreamLayout;
  activations: ActivationMap[] | null;
  inputUrl: string | null;
  link: (b: StreamBlock) => LayerLink;
}) {
  const byName = new Map((activations ?? []).map((a) => [a.layerName, a]));
  const marker = (id: string, fill: string) => (
    <marker id={id} viewBox="0 0 6 6" refX="5" refY="3" markerWidth="5" markerHeight="5" orient="auto">
      <path d="M0,0 L6,3 L0,6 z" fill={fill} />
    </marker>
  );
  return (
    <>
      <rect x={0} y={0} width={layout.width} height={layout.height} fill="#fffefa" />
      <defs>
        {marker('pw-arrow2', INK2)}
        {marker('pw-cross', CROSS)}
      </defs>
      {layout.links.map((l) =>
        !l.cross && l.from.stream && l.from.kind === 'maps' ? (
          <Connector key={`${l.from.cx}${l.from.stream}-${l.to.cx}`} a={l.from} b={l.to} />
        ) : (
          <Arrow key={`${l.from.cx}${l.from.stream}-${l.to.cx}${l.to.stream}`} l={l} />
        ),
      )}
      {layout.blocks.map((b) => (
        <Block
          key={`${b.cx}-${b.stream ?? 0}`}
          b={b}
          images={imagesFor(b, b.layerName ? byName.get(b.layerName) : undefined, inputUrl, b.part)}
          labelY={b.labelY}
          link={link(b)}
          stream={b.stream}
          title={b.title}
        />
      ))}
      <OpLabels ops={layout.ops} y={layout.opY} />
      <text
        data-testid="diagram-caption"
        x={24}
        y={layout.captionY}
        fontSize={11}
        fill={INK}
        fontFamily={FONT}
        fontStyle="italic"
      >
        {layout.caption.map((l, i) => (
          <tspan key={l} x={24} dy={i === 0 ? 0 : 14}>
            {l}
          </tspan>
        ))}
      </text>
    </>
  );
}

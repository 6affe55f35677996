// Functional models drawn as graphs: ResNet-20's residual blocks give one skip arc each, every layer is
// drawn by exactly one node, and no two nodes overlap.
import { describe, expect, it } from 'vitest';
import { PAPER_LENET5, PRESETS } from '../../src/model/code-presets';
import { compileCode } from '../../src/store/compile';
import { isGraph, layoutGraph } from '../../src/ui/diagram/graph-layout';

const resnet = () => compileCode(PRESETS.find((p) => p.id === 'resnet20-cifar10')!.code).built;

describe('graph layout', () => {
  it('draws chains the paper way and graphs as graphs', () => {
    expect(isGraph(compileCode(PAPER_LENET5).built)).toBe(false);
    expect(isGraph(resnet())).toBe(true);
  });

  it("gives ResNet-20's nine residual blocks one skip arc each and draws every layer once", () => {
    const m = resnet();
    const g = layoutGraph(m);
    const convs = m.layers.filter((l) => l.layer.className === 'Conv2D').length;
    const adds = m.layers.filter((l) => l.layer.className === 'Add').length;
    expect(adds).toBe(9);
    // input + convolutions + adds + global pooling + dense; batch norm and activations fold into them.
    expect(g.nodes).toHaveLength(1 + convs + adds + 2);
    expect(g.edges.filter((e) => e.skip)).toHaveLength(9);
    const drawn = g.nodes.flatMap((n) => n.layers);
    expect(drawn.sort()).toEqual(m.layers.map((l) => l.layer.config.name).sort());
    for (const e of g.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
  });

  it('places nodes inside the drawing without overlaps', () => {
    const g = layoutGraph(resnet());
    for (const n of g.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.x + n.w).toBeLessThanOrEqual(g.width);
      expect(n.y + n.h).toBeLessThanOrEqual(g.height);
    }
    for (const a of g.nodes)
      for (const b of g.nodes) {
        if (a === b) continue;
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        expect(apart, `${a.layerName} / ${b.layerName}`).toBe(true);
      }
  });
});

// Each layer of the built model is placed on the line of its call in the Keras code (linked hover), and each
// diagram block knows the layers it draws.
import { describe, expect, it } from 'vitest';
import { PAPER_LENET5, PRESETS } from '../../src/model/code-presets';
import { compileCode } from '../../src/store/compile';
import { layoutDiagram } from '../../src/ui/diagram/layout';
import { layerAtLine, layerCalls, layerLines } from '../../src/ui/model/layer-lines';

const lineOf = (code: string, needle: string) => code.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('layer lines', () => {
  it('places every layer of the paper LeNet-5 on its model.add line', () => {
    const built = compileCode(PAPER_LENET5).built;
    const lines = layerLines(PAPER_LENET5, built);
    const names = built.layers.map((l) => l.layer.config.name);
    expect(lines.size).toBe(names.length);
    expect(lines.get(names[0])).toBe(lineOf(PAPER_LENET5, 'Conv2D(filters=6'));
    expect(lines.get(names[2])).toBe(lineOf(PAPER_LENET5, 'Conv2D(filters=16'));
    expect(lines.get(names[7])).toBe(lineOf(PAPER_LENET5, "Dense(10, activation='softmax')"));
    expect(layerAtLine(lines, lineOf(PAPER_LENET5, 'Dropout(0.5)'))).toBe(names[6]);
    // The import line names the classes but calls none of them.
    expect(layerAtLine(lines, 3)).toBeNull();
  });

  it('skips Input, comments and strings, and reads every preset (layers made in a def on their line there)', () => {
    const code =
      "x = 1  # Dense(3) in a comment\ns = 'Conv2D(2)'\nkeras.Input(shape=(4,))\nlayers.Dense(3)\n";
    expect(layerCalls(code)).toEqual([{ line: 4, className: 'Dense' }]);
    for (const p of PRESETS) {
      const built = compileCode(p.code).built;
      const lines = layerLines(p.code, built);
      expect(lines.size, p.id).toBe(built.layers.length);
      for (const [name, line] of lines) {
        const cls = built.layers.find((l) => l.layer.config.name === name)!.layer.className;
        const text = p.code.split('\n')[line - 1];
        const written =
          cls === 'Activation' ? /Activation|ReLU|Softmax|ELU/ : cls.replace('Pooling2D', 'Pool');
        expect(text, `${p.id} ${name}`).toMatch(written);
      }
    }
  });

  it('falls back to matching calls by class when the counts differ', () => {
    const built = compileCode(PAPER_LENET5).built;
    // A layer line pasted twice: the counts no longer agree, so each class is matched in order.
    const code = PAPER_LENET5.replace(
      'model.add(Flatten())',
      'model.add(Flatten())\n# model.add(Flatten())\nFlatten()',
    );
    const lines = layerLines(code, built);
    expect(lines.get(built.layers[5].layer.config.name)).toBe(lineOf(code, 'Dense(120'));
  });

  it('gives each diagram block the layers it draws, Dropout with the Dense after it', () => {
    const built = compileCode(PAPER_LENET5).built;
    const names = built.layers.map((l) => l.layer.config.name);
    const blocks = layoutDiagram(built).blocks;
    expect(blocks.map((b) => b.layers)).toEqual([
      [],
      [names[0]],
      [names[1]],
      [names[2]],
      [names[3]],
      [names[4], names[5]],
      [names[6], names[7]],
    ]);
  });
});

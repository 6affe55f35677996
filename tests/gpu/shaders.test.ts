// Every assembled shader (src/gpu/shaders.ts: its text, the shaders/lib pieces it uses, the generated
// constants) compiles on this adapter without an error or a warning.
import { expect, it } from 'vitest';
import { shaderSource, shaderStems } from '../../src/gpu/shaders';
import { nodeGpu } from '../helpers/node-gpu';

it('every shader under shaders/ compiles once assembled', async () => {
  const { device } = await nodeGpu();
  const stems = shaderStems();
  expect(stems.length).toBeGreaterThanOrEqual(12);
  for (const stem of stems) {
    const module = device.createShaderModule({ label: stem, code: shaderSource(stem) });
    const info = await module.getCompilationInfo();
    const problems = info.messages.map((m) => `${stem}:${m.lineNum}:${m.linePos} ${m.type}: ${m.message}`);
    expect(problems, stem).toEqual([]);
  }
});

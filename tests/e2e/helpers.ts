// Shared by the end-to-end tests: the app served by Vite on a free port, and Debian's Chromium with WebGPU
// on SwiftShader (never a downloaded browser).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = join(ROOT, 'tests', 'e2e', 'out');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface App {
  server: ViteDevServer;
  url: string;
}

export async function startApp(): Promise<App> {
  if (!existsSync(join(ROOT, 'public', 'data', 'mnist', 'train-images-idx3-ubyte.gz'))) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'prepare-data.mjs')], { stdio: 'inherit' });
  }
  const port = await freePort();
  const server = await createServer({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'error',
    server: { port, host: '127.0.0.1', strictPort: true, hmr: false },
  });
  await server.listen();
  return { server, url: `http://127.0.0.1:${port}/` };
}

export async function launch(webgpu = true): Promise<Browser> {
  const args = webgpu
    ? CHROMIUM_ARGS
    : CHROMIUM_ARGS.filter((a) => !a.includes('webgpu') && !a.includes('vulkan') && !a.includes('Vulkan'));
  return chromium.launch({ executablePath: '/usr/bin/chromium', args, headless: true });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
}

export async function shotFull(page: Page, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

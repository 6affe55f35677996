import { createHash } from 'node:crypto';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type ViteDevServer } from 'vite';

// The Content-Security-Policy of the page and its workers: scripts only from the page's origin and never
// eval; workers from the origin or blob:. Dev adds the hashes of the inline scripts Vite and React refresh
// inject (computed from the transformed index.html, so nothing else inline runs), never 'unsafe-eval'.
// 'wasm-unsafe-eval' lets the page compile WebAssembly (h5wasm reads and writes .keras/.h5 files); it does
// not allow eval or new Function.
function policy(scriptHashes: string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval'${scriptHashes.map((h) => ` '${h}'`).join('')}`,
    "worker-src 'self' blob:",
    "connect-src 'self'",
    // CodeMirror and React set inline styles; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function inlineScriptHashes(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/.test(m[1]) || m[2].length === 0) continue;
    out.push(`sha256-${createHash('sha256').update(m[2]).digest('base64')}`);
  }
  return out;
}

function contentSecurityPolicy(): Plugin {
  let devPolicy: Promise<string> | null = null;
  const forDev = (server: ViteDevServer) => {
    devPolicy ??= server
      .transformIndexHtml('/', '<!doctype html><html><head></head><body></body></html>')
      .then((html) => policy(inlineScriptHashes(html)));
    return devPolicy;
  };
  return {
    name: 'paperweight-csp',
    configureServer(server) {
      server.middlewares.use((_req, res, next) => {
        forDev(server).then(
          (p) => {
            res.setHeader('Content-Security-Policy', p);
            next();
          },
          (e: unknown) => next(e),
        );
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', policy([]));
        next();
      });
    },
    // A static host may not send headers: the built page carries the policy itself (frame-ancestors is
    // header-only, so it is left out of the meta).
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (ctx.server) return html;
        const meta = policy(inlineScriptHashes(html)).replace(/; frame-ancestors 'none'/, '');
        return html.replace(
          /<head>/i,
          `<head>\n    <meta http-equiv="Content-Security-Policy" content="${meta}" />`,
        );
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: 'es' },
  server: { host: '127.0.0.1', strictPort: true, fs: { strict: true } },
  preview: { host: '127.0.0.1', strictPort: true },
  build: { target: 'es2022', sourcemap: true },
});

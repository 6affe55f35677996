import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  server: { host: '127.0.0.1', strictPort: true, fs: { strict: true } },
  preview: { host: '127.0.0.1', strictPort: true },
  build: { target: 'es2022', sourcemap: true },
});

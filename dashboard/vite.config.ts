import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dashboard is a static single-page app served by `auditrail serve` at /. In development
 * (`npx vite dashboard`), API calls to /v1 are proxied to AUDITRAIL_URL (default the local server).
 */
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, root, 'AUDITRAIL_');
  return {
    root,
    base: '/',
    plugins: [react()],
    build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1200 },
    server: { proxy: { '/v1': env.AUDITRAIL_URL ?? 'http://127.0.0.1:7070' } },
  };
});

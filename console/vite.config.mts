// The console's build: `npm start` (and the tests' global setup) run `vite build` here when dist/ is stale.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // one chunk for a small app (React, React Query, i18next and the catalogues): fine behind one API process
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      // React Query's "use client" markers mean nothing without server components
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});

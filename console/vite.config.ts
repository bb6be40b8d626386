import { defineConfig } from 'vite';

// Served by the gateway under /console/ (gateway/console.h); every file is local, no CDN.
export default defineConfig({
  base: '/console/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
});

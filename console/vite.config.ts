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
  // `npm run dev` (console/README.md): the page from Vite, the API from `make run`'s gateway.
  server: {
    proxy: {
      '/v1': 'http://127.0.0.1:8080',
      '/console/dev-sign-in': 'http://127.0.0.1:8080',
    },
  },
});

// The web console's build (issue 4): `npm run build:web` → web/dist, served by the API server at `/`.
// No CDN, no remote fonts or tiles: everything the console needs is bundled here.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500, // maplibre-gl and echarts are big; they load only with the pages that use them
    rolldownOptions: {
      output: {
        // Separate, long-cached chunks for the two big libraries, so a page with a chart does not load the map.
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    // `npm run dev:web` (hot reload) against a server started with `npm start` on :8080
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
      '/open311': 'http://127.0.0.1:8080',
      '/docs': 'http://127.0.0.1:8080',
    },
  },
});

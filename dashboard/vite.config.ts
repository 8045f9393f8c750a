import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'

// This build is what the API serves at /. The extension does not use it: it imports
// `mountDashboard` from src/index.tsx and bundles it with its own options page.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
})

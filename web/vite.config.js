// Vite configuration of the web front end. The build goes to web/dist, which
// the Makefile compiles into the binary; nothing is fetched at run time.
//
// The map outlines (China and Hubei) come from the echarts 4.9.0 package,
// installed under the alias "echarts4maps", and are emitted as /maps/*.json.
// A file of the same name under web/public/maps/ replaces the bundled one, and
// further provinces can be added there (maps/province/<pinyin>.json).
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const mapSource = path.join(here, 'node_modules', 'echarts4maps', 'map', 'json')
const bundledMaps = {
  'maps/china.json': path.join(mapSource, 'china.json'),
  'maps/province/hubei.json': path.join(mapSource, 'province', 'hubei.json'),
}

function overridden(name) {
  return existsSync(path.join(here, 'public', name))
}

// The outlines the build holds: the bundled ones and any under public/maps/.
function mapIndex() {
  const provinces = new Set(['hubei'])
  const extra = path.join(here, 'public', 'maps', 'province')
  if (existsSync(extra))
    for (const f of readdirSync(extra)) if (/^[a-z0-9_-]+\.json$/.test(f)) provinces.add(f.replace(/\.json$/, ''))
  return JSON.stringify({ china: 'china.json', provinces: [...provinces].sort() })
}

function mapOutlines() {
  return {
    name: 'zhaoshang-map-outlines',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = (req.url || '').split('?')[0].slice(1)
        if (name === 'maps/index.json') {
          res.setHeader('Content-Type', 'application/json; charset=utf-8')
          return res.end(mapIndex())
        }
        const file = bundledMaps[name]
        if (!file || overridden(name)) return next()
        res.setHeader('Content-Type', 'application/json; charset=utf-8')
        res.end(readFileSync(file))
      })
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'maps/index.json', source: mapIndex() })
      for (const [name, file] of Object.entries(bundledMaps)) {
        if (overridden(name)) continue
        this.emitFile({ type: 'asset', fileName: name, source: readFileSync(file) })
      }
    },
  }
}

export default defineConfig({
  base: '/',
  plugins: [vue(), mapOutlines()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'charts'
          if (id.includes('node_modules/')) return 'vendor'
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.ZHAOSHANG_API || 'http://127.0.0.1:8080' },
  },
})

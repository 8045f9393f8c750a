#!/usr/bin/env node
// Compiles the API to plain JavaScript, so its process runs without a TypeScript loader:
// tsx's loader thread and transformed sources cost the API process about 90 MiB of its ~200 MiB
// at rest (measured with the API idle on PostgreSQL: 196 MiB under tsx, 108 MiB compiled).
// One esbuild bundle of `api/src/main.ts` with the workspace's own packages (`@signet/*`) in it;
// everything from node_modules stays an import. Each source keeps its own `import.meta.url`, so
// paths the code finds beside itself (the dashboard's build, swagger-ui) are the same as under tsx;
// the migrations are imported statically (their folder holds TypeScript); the import check
// worker is a second entry beside the API. `npm start`, the benchmarks and the multi-process tests
// run `node api/dist/main.mjs`; `npm run dev` and the tests in-process keep tsx.
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
export const API_DIST = join(root, 'api/dist')
const migrationsIndex = join(root, 'migrations/index.ts')

/** `migrations/index.ts` reads its folder at run time; compiled, the same files are imported here. */
function staticMigrations() {
  // The same files, in the same order, as `migrationProvider` in migrations/index.ts.
  const files = readdirSync(dirname(migrationsIndex))
    .filter((f) => /^\d{4}(_\d\d){5}_[a-z0-9_]+\.ts$/.test(f))
    .sort()
  const imports = files.map((f, i) => `import * as m${i} from './${f}'`).join('\n')
  const entries = files.map((f, i) => `  ${JSON.stringify(f.replace(/\.ts$/, ''))}: m${i},`).join('\n')
  return `${imports}\nexport const migrationProvider = {\n  async getMigrations() {\n    return {\n${entries}\n    }\n  },\n}\n`
}

const sources = {
  name: 'signet-sources',
  setup(b) {
    // Packages from node_modules are imported at run time, not bundled; `@signet/*` is ours.
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@signet/') ? undefined : { path: args.path, external: true },
    )
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = args.path === migrationsIndex ? staticMigrations() : await readFile(args.path, 'utf8')
      const url = JSON.stringify(pathToFileURL(args.path).href)
      return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' }
    })
  },
}

/**
 * How the API process runs. `--heap-growing-percent=100`: V8 collects the old generation once
 * it has doubled since the last full collection, instead of letting it grow to up to 4× the live
 * heap when collections are cheap (they are: an import's live heap stays ~45 MB, but its
 * promoted garbage took the heap to ~190 MB). Not a limit: a heap whose live data grows (the
 * targeting index of a large workspace) still grows with it. Source maps, so logged stack traces
 * name the TypeScript sources.
 */
export const API_NODE_FLAGS = ['--enable-source-maps', '--heap-growing-percent=100']

/**
 * Builds the API into `outdir` (inside the repository, so node_modules resolve) and returns the
 * arguments for `node` that run it.
 */
export async function buildApi(outdir = API_DIST) {
  await build({
    entryPoints: {
      main: join(root, 'api/src/main.ts'),
      'check-worker': join(root, 'api/src/imports/check-worker.ts'),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [sources],
    // `check-pool.ts` starts this worker instead of the TypeScript one through tsx.
    define: { SIGNET_CHECK_WORKER: JSON.stringify(pathToFileURL(join(outdir, 'check-worker.mjs')).href) },
  })
  return [...API_NODE_FLAGS, join(outdir, 'main.mjs')]
}

// `node scripts/build-api.mjs` builds; with `--run` it then runs the API (`npm start -w api`).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = await buildApi()
  if (process.argv.includes('--run')) {
    const api = spawn(process.execPath, args, { stdio: 'inherit' })
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => api.kill(signal))
    api.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
  }
}

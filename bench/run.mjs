// Entry point: `node bench/run.mjs [--only <prefix>[,<prefix>…]]` (npm run bench builds the
// web app first). The benchmarks are TypeScript, loaded through tsx.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('./main.ts')
process.exitCode = await main(process.argv.slice(2))

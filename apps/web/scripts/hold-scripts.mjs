// Holds the exported pages' scripts until after their first paint (see
// src/build/hold-scripts.ts) and writes the starter that releases them. Runs after
// `next build`, before the service worker is built over `out/`.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { holdScripts, startHeldScripts, STARTER_PATH } from '../src/build/hold-scripts.ts'

const out = new URL('../out/', import.meta.url).pathname
const pages = (await readdir(out, { recursive: true })).filter((f) => f.endsWith('.html'))
if (pages.length === 0) throw new Error(`hold-scripts: no HTML in ${out}; run next build first`)
for (const page of pages) {
  const file = join(out, page)
  await writeFile(file, holdScripts(await readFile(file, 'utf8'), page))
}
await writeFile(join(out, STARTER_PATH), `(${startHeldScripts.toString()})()\n`)
console.log(`hold-scripts: ${pages.length} pages start their scripts after the first paint`)

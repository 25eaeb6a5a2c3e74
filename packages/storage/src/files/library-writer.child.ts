/**
 * A separate process editing a plaintext library through the real engine, for
 * `crash.node.test.ts`: `node --experimental-transform-types library-writer.child.ts <dir>`.
 * Adds tracks named `t<n>` to one playlist forever, two requests at a time, printing
 * `ack <n>` once the engine resolved each (durable). The Markdown is rewritten after
 * almost every change, so kills land in the middle of those writes too.
 */
import { createEngine, systemClock } from '@whatnext/core'
import { PlaintextLibrary } from './plaintext-library.ts'

const dir = process.argv[2]!
const library = await PlaintextLibrary.open({ dir, renderDelayMs: 1, watch: false })
const engine = await createEngine({
  documents: library.documents,
  broadcast: library.broadcast,
  clock: systemClock(globalThis),
})
const existing = engine.listPlaylists()[0]
const id = existing?.id ?? (await engine.createPlaylist({ name: 'Crash test' })).id
let n = existing ? engine.getPlaylist(id).tracks.length : 0
process.stdout.write('ready\n')
for (;;) {
  const writes = [n + 1, n + 2].map(async (k) => {
    await engine.addTracks(id, [{ title: `t${k}`, notes: 'x'.repeat(200) }])
    process.stdout.write(`ack ${k}\n`)
  })
  n += 2
  await Promise.all(writes)
}

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine, systemClock, type Engine } from '@whatnext/core'
import { afterEach, describe, expect, it } from 'vitest'
import { PlaintextLibrary, type LibraryIssue } from './plaintext-library.ts'

const clock = systemClock(globalThis)
const open: { library: PlaintextLibrary; engine: Engine }[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const { engine, library } of open.splice(0)) {
    await engine.close()
    await library.close()
  }
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

async function freshDir() {
  const dir = await mkdtemp(join(tmpdir(), 'whatnext-library-'))
  dirs.push(dir)
  return dir
}

async function start(dir: string, watch = true) {
  const issues: LibraryIssue[] = []
  const library = await PlaintextLibrary.open({
    dir,
    renderDelayMs: 5,
    settleMs: 20,
    watch,
    onIssue: (issue) => issues.push(issue),
  })
  const engine = await createEngine({
    documents: library.documents,
    broadcast: library.broadcast,
    clock,
  })
  open.push({ library, engine })
  return { library, engine, issues }
}

async function stop(handle: { library: PlaintextLibrary; engine: Engine }) {
  open.splice(open.indexOf(handle), 1)
  await handle.engine.close()
  await handle.library.close()
}

/** Polls until `check` passes (file watching is asynchronous); fails after 5 s. */
async function eventually<T>(check: () => T | Promise<T>): Promise<T> {
  const started = Date.now()
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() - started > 4000) throw error
      await new Promise((r) => setTimeout(r, 10))
    }
  }
}

const mdFiles = async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith('.md')).sort()
const titles = (engine: Engine, id: string) => engine.getPlaylist(id).tracks.map((t) => t.title)

async function withPlaylist(dir: string) {
  const handle = await start(dir)
  const { id } = await handle.engine.createPlaylist({ name: 'Road trip', description: 'Summer' })
  await handle.engine.addTracks(id, [
    { title: 'One', artists: ['A'], durationMs: 200_000 },
    { title: 'Two', artists: ['B'], source: 'https://example.com/2' },
    { title: 'Three', artists: ['C'], notes: 'loud' },
  ])
  await handle.library.flush()
  return { ...handle, id, file: join(dir, 'Road trip.md') }
}

describe('PlaintextLibrary', { timeout: 15_000 }, () => {
  it('writes one Markdown file per playlist, with its id and every track', async () => {
    const dir = await freshDir()
    const { id, file, engine, library } = await withPlaylist(dir)
    expect(await mdFiles(dir)).toEqual(['Road trip.md'])
    const text = await readFile(file, 'utf8')
    expect(text).toMatch(new RegExp(`^---\\nid: "${id}"\\nwhatnext: 1\\nname: Road trip\\n`))
    expect(text).toContain('notes: loud')
    await engine.updatePlaylist({ id, name: 'Night drive' })
    await library.flush()
    expect(await mdFiles(dir)).toEqual(['Night drive.md'])
    await engine.deletePlaylist(id)
    await library.flush()
    expect(await mdFiles(dir)).toEqual([])
  })

  it('picks up an outside edit: renamed, retitled, reordered, removed and added tracks', async () => {
    const dir = await freshDir()
    const { id, file, engine } = await withPlaylist(dir)
    const before = engine.getPlaylist(id).tracks
    const text = await readFile(file, 'utf8')
    const edited = text
      .replace('name: Road trip', 'name: Road trip 2')
      .replace('title: One', 'title: One (live)')
      .replace(/ {2}- title: Two\n( {4}.*\n)*/, '')
      .replace(
        'tracks:\n',
        'tracks:\n  - title: Two\n    artists:\n      - B\n    source: https://example.com/2\n  - title: Zero\n',
      )
    await writeFile(file, edited)
    await eventually(() =>
      expect(titles(engine, id)).toEqual(['Two', 'Zero', 'One (live)', 'Three']),
    )
    const after = engine.getPlaylist(id)
    expect(after.name).toBe('Road trip 2')
    // Edited and moved tracks keep their identity (ids, notes, when they were added).
    const byTitle = new Map(after.tracks.map((t) => [t.title, t]))
    expect(byTitle.get('One (live)')!.id).toBe(before[0]!.id)
    expect(byTitle.get('Two')!.id).toBe(before[1]!.id)
    expect(byTitle.get('Three')!.notes).toBe('loud')
    // The file is rewritten from the merged playlist under its new name.
    await eventually(async () => expect(await mdFiles(dir)).toEqual(['Road trip 2.md']))
  })

  it('merges three ways: an app edit made meanwhile survives an outside edit', async () => {
    const dir = await freshDir()
    const { id, file, engine, library } = await withPlaylist(dir)
    await stop({ engine, library })
    // While the app is closed, the user edits the file...
    const text = await readFile(file, 'utf8')
    await writeFile(
      file,
      text.replace('title: Three', 'title: Three!').replace(/ {2}- title: One\n( {4}.*\n)*/, ''),
    )
    // ...and on open the edit is merged before the engine loads.
    const again = await start(dir)
    expect(titles(again.engine, id)).toEqual(['Two', 'Three!'])
    // Now both at once: the app adds a track, the user edits the old file content.
    const old = await readFile(file, 'utf8')
    await again.engine.addTracks(id, [{ title: 'Four' }])
    await writeFile(file, old.replace('title: Two', 'title: Two?'))
    await eventually(() => expect(titles(again.engine, id)).toEqual(['Two?', 'Three!', 'Four']))
    await again.library.flush()
    await eventually(async () =>
      expect(await readFile(file, 'utf8')).toMatch(
        /title: Two\?[\s\S]*title: Three![\s\S]*title: Four/,
      ),
    )
  })

  it('reports a corrupt file and ignores it; keeps a copy when the app rewrites it', async () => {
    const dir = await freshDir()
    const { id, file, engine, issues, library } = await withPlaylist(dir)
    const text = await readFile(file, 'utf8')
    const broken = text.replace('name: Road trip', 'name: [unclosed')
    await writeFile(file, broken)
    await eventually(() => expect(issues.map((i) => i.kind)).toEqual(['invalid']))
    expect(issues[0]!.message).toMatch(/Road trip\.md.*YAML/)
    expect(engine.getPlaylist(id).name).toBe('Road trip')
    expect(titles(engine, id)).toEqual(['One', 'Two', 'Three'])
    // Saving the same broken content again is not reported twice.
    await writeFile(file, broken)
    await new Promise((r) => setTimeout(r, 100))
    expect(issues).toHaveLength(1)
    // The next change in the app rewrites the file; the broken one is kept aside.
    await engine.addTracks(id, [{ title: 'Four' }])
    await library.flush()
    expect(issues.map((i) => i.kind)).toEqual(['invalid', 'overwritten'])
    expect(await readFile(file, 'utf8')).toContain('title: Four')
    const rejected = await readdir(join(dir, '.whatnext', 'rejected'))
    expect(rejected).toHaveLength(1)
    expect(await readFile(join(dir, '.whatnext', 'rejected', rejected[0]!), 'utf8')).toBe(broken)
  })

  it('refuses edits that would drop entries or break limits', async () => {
    const dir = await freshDir()
    const { id, file, engine, issues } = await withPlaylist(dir)
    const text = await readFile(file, 'utf8')
    await writeFile(file, text.replace(/ {2}- title: One\n( {4}.*\n)*/, '  - 42\n'))
    await eventually(() => expect(issues.at(-1)?.message).toMatch(/not a mapping; skipped/))
    await writeFile(file, text.replace('name: Road trip', `name: ${'x'.repeat(300)}`))
    await eventually(() => expect(issues.at(-1)?.message).toMatch(/200/))
    expect(titles(engine, id)).toEqual(['One', 'Two', 'Three'])
    expect(engine.getPlaylist(id).name).toBe('Road trip')
  })

  it('takes an emptied playlist file as removing every track', async () => {
    const dir = await freshDir()
    const { id, file, engine } = await withPlaylist(dir)
    const text = await readFile(file, 'utf8')
    await writeFile(file, text.replace(/tracks:\n[\s\S]*?---/, 'tracks: []\n---'))
    await eventually(() => expect(titles(engine, id)).toEqual([]))
  })

  it('reports Markdown files that are not its playlists and leaves them alone', async () => {
    const dir = await freshDir()
    await writeFile(join(dir, 'notes.md'), '# My notes\n\n- not a playlist of this library\n')
    const { issues, library } = await start(dir)
    expect(issues).toMatchObject([{ kind: 'unknown', file: 'notes.md' }])
    await library.flush()
    expect(await readFile(join(dir, 'notes.md'), 'utf8')).toContain('My notes')
  })

  it('never overwrites a file of the same name that is not ours', async () => {
    const dir = await freshDir()
    await writeFile(join(dir, 'Road trip.md'), '# Road trip\n\n- by hand\n')
    const { engine, library } = await start(dir)
    await engine.createPlaylist({ name: 'Road trip' })
    await library.flush()
    expect(await mdFiles(dir)).toEqual(['Road trip (2).md', 'Road trip.md'])
    expect(await readFile(join(dir, 'Road trip.md'), 'utf8')).toContain('by hand')
  })

  it('rewrites Markdown the app had not written before it stopped', async () => {
    const dir = await freshDir()
    const first = await start(dir, false)
    const { id } = await first.engine.createPlaylist({ name: 'Later' })
    await first.engine.addTracks(id, [{ title: 'Queued' }])
    // Engine edits are durable in the log; the Markdown write is still pending (a crash
    // here would lose it), so the store is closed without flushing the mirror.
    open.splice(open.indexOf(first), 1)
    await first.engine.close()
    await first.library.documents.close()
    expect(await mdFiles(dir)).toEqual([])
    const again = await start(dir)
    expect(await mdFiles(dir)).toEqual(['Later.md'])
    expect(titles(again.engine, id)).toEqual(['Queued'])
  })
})

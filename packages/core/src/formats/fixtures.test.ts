// Every real-world fixture in ../shared/fixtures/playlists imports with the entry count
// its SOURCES.md gives (counted by reading the files, and matching the source projects'
// own tests), and with the first title where SOURCES.md names one.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parsePlaylist } from './index.ts'
import { joinDisplay } from './shared.ts'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
const fixtures = process.env.WHATNEXT_FIXTURES ?? resolve(repoRoot, '../shared/fixtures/playlists')

interface Row {
  path: string
  entries: number
  firstTitle: string | null
}

function readSources(): Row[] {
  if (!existsSync(join(fixtures, 'SOURCES.md'))) {
    throw new Error(`Playlist fixtures not found at ${fixtures} (set WHATNEXT_FIXTURES)`)
  }
  const rows: Row[] = []
  for (const line of readFileSync(join(fixtures, 'SOURCES.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim())
    // | # | `path` | repo | source path | commit | license | format | encoding | entries | first title |
    if (cells.length < 12 || !/^\d+$/.test(cells[1]!)) continue
    const path = cells[2]!.replace(/`/g, '')
    const entries = Number.parseInt(cells[9]!, 10)
    let first: string | null = cells[10]!
    // "—" means no title; notes in parentheses and byte dumps are commentary, not title text.
    if (first.startsWith('—') || first.startsWith('""')) first = null
    else first = first.replace(/\s+\((raw text|bytes)[^)]*\)$/, '').trim()
    rows.push({ path, entries, firstTitle: first })
  }
  return rows
}

const rows = readSources()
const load = (path: string) =>
  parsePlaylist(new Uint8Array(readFileSync(join(fixtures, path))), path.split('/').pop()!)

describe('real playlist fixtures', () => {
  it('lists all 40 files', () => {
    expect(rows).toHaveLength(40)
  })

  for (const row of rows) {
    it(`${row.path}: ${row.entries} entries`, () => {
      const parsed = load(row.path)
      expect(parsed.tracks).toHaveLength(row.entries)
      if (row.firstTitle !== null) {
        const first = parsed.tracks[0]!
        const display =
          parsed.format === 'm3u' || parsed.format === 'pls' ? joinDisplay(first) : first.title
        expect(display).toBe(row.firstTitle)
      }
    })
  }

  it('keeps a title with # across comment lines (mopidy comment-ext)', () => {
    expect(load('mopidy/comment-ext.m3u').tracks[0]!.title).toBe('Song #1')
  })

  it('reads ISO-8859-1 files as Windows-1252 (PlaylistsNET, mopidy)', () => {
    const latin = load('playlistsnet/LatinEncoding.m3u')
    expect(latin.encoding).toBe('windows-1252')
    expect(joinDisplay(latin.tracks[0]!)).toBe(
      'Röyksopp feat. Susanne Sundfør - Running To The Sea',
    )
    expect(latin.tracks[0]!.durationMs).toBe(300_000)
    expect(load('mopidy/encoding-ext.m3u').tracks[0]!.title).toBe('æøå')
  })

  it('decodes UTF-16 LE and BE with BOM', () => {
    expect(load('navidrome/bom-test-utf16.m3u').encoding).toBe('utf-16le')
    const be = load('lizzy/playlist-utf16be-bom.m3u')
    expect(be.encoding).toBe('utf-16be')
    expect(be.tracks[1]!.source).toContain('ÀÁÂÃäA Ç ÈÉÊË')
  })

  it('gives #EXTALB/#EXTART to the entry that follows them (PlaylistsNET)', () => {
    const t = load('playlistsnet/PlaylistExt.m3u').tracks
    expect(t[2]).toMatchObject({ album: 'AndreaBocelli', artists: ['Andrea Bocelli'] })
    expect(t[0]!.album).toBe('')
    expect(t.map((x) => x.durationMs)).toEqual([254_000, null, null])
  })

  it('orders PLS entries by index, not by file order', () => {
    const t = load('playlistsnet/Playlist2.pls').tracks
    expect(t[2]!.title).toBe('Sprzedawcy Marzeń')
    expect(t.map((x) => x.source)).toEqual([
      'http://stream3.polskieradio.pl:8902/',
      'http://stream.polskastacja.pl/ps43_mp3?player_group=PS_EXT_MP3',
      '/home/uzytkownik/muzyka-1.mp3',
      'Weird Al - This Is The Life.mp3',
    ])
    expect(t[1]!.title).toContain('P O L S K A')
    expect(t[2]!.durationMs).toBe(5_720_000)
  })

  it('takes the playlist name from #PLAYLIST and decodes file:// entries (navidrome)', () => {
    const p = load('navidrome/pls-with-name.m3u')
    expect(p.name).toBe('playlist 1')
    expect(p.tracks.map((t) => t.source)).toEqual([
      'tests/fixtures/test.mp3',
      'tests/fixtures/test.ogg',
      '/tests/fixtures/01 Invisible (RED) Edit Version.mp3',
    ])
  })

  it('treats several ASX refs as alternatives of one entry and reads broken ASX leniently', () => {
    expect(load('totem-pl-parser/pukas.wax').tracks[0]!.source).toMatch(/^mms:\/\//)
    const agent = load('clementine/secretagent.asx').tracks
    expect(agent[0]!.artists).toEqual(['Keep us on the air! Click Support SomaFM above!'])
  })

  it('detects XSPF behind a .php name, with CDATA and Swedish letters', () => {
    const p = load('totem-pl-parser/remote_xspf.php')
    expect(p.format).toBe('xspf')
    expect(p.tracks[0]!.title).toBe('12:15 Terrorattack avvärjd i Australien')
  })

  it('reads XSPF without namespace and decodes entities in plain paths (Quod Libet)', () => {
    const p = load('quodlibet/non-compliant.xspf')
    expect(p.name).toBe('100% 😈')
    expect(p.tracks[0]!.source).toContain('/music/Funk & Disco/')
  })

  it('reads non-standard JSPF with a warning, and keeps JSPF tracks without a location', () => {
    const lizzy = load('lizzy/playlist.jspf')
    expect(lizzy.warnings.some((w) => /not standard JSPF/i.test(w.message))).toBe(true)
    const cli = load('jspf-cli/example.jspf').tracks
    expect(cli[0]).toMatchObject({ title: 'Song 1', source: '' })
    expect(cli[3]).toMatchObject({ title: '曲 3', artists: ['アーティスト3'], album: 'アルバム3' })
  })
})

// Every real-world playlist in ../shared/fixtures/playlists imports with the entry count
// and first title that its SOURCES.md gives (counted by reading the files, and matching
// the source projects' own tests). The table below is checked against SOURCES.md and
// against the files on disk, so none can drift silently.
//
// Policies for the files SOURCES.md calls ambiguous:
// - totem-pl-parser/live-streaming.m3u (HLS media playlist): read as plain M3U, 1 entry.
// - totem-pl-parser/pukas.wax: several <ref>s in one <entry> are alternatives: 1 entry,
//   the first ref (mms://) is the source.
// - lizzy/playlist.jspf (not spec JSPF): imported leniently, 2 tracks, with a
//   "Not standard JSPF" warning; refusing a file whose meaning is clear helps nobody.
// - jspf-cli/example.jspf: 4 tracks; track 1 has no location and is kept (a title alone
//   is a valid track).
// - navidrome/subfolder2/pls2.m3u: a `%20` in a plain path (not a file:// URI) is kept
//   as written; entries are not checked against the disk (4 entries).
// - Entries without a title get none ('' below): titles are not invented from file
//   names, so that a re-export writes back what was read. The UI shows the source.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { TrackFieldsSchema } from '../model/schemas.ts'
import { parsePlaylist, type ParsedPlaylist } from './index.ts'
import { joinDisplay } from './shared.ts'

// packages/core/src/formats → repository root is four levels up.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
const fixtures = process.env.WHATNEXT_FIXTURES ?? resolve(repoRoot, '../shared/fixtures/playlists')

/** [path, entries, first title ('' = the file gives none); M3U/PLS as "Artist - Title"]. */
const EXPECTED: [string, number, string][] = [
  ['clementine/test.m3u', 239, 'gravity'],
  ['clementine/test.xspf', 1, 'Foo'],
  ['clementine/pls_one.pls', 1, 'Title'],
  [
    'clementine/pls_somafm.pls',
    4,
    'SomaFM: Groove Salad (#1 128k mp3): A nicely chilled plate of ambient beats and grooves.',
  ],
  [
    'clementine/secretagent.pls',
    4,
    'SomaFM: Secret Agent (#1 128k mp3): The soundtrack for your stylish, mysterious, dangerous life. For Spies and PIs too!',
  ],
  ['clementine/test.asx', 1, 'Foo'],
  ['clementine/secretagent.asx', 4, 'SomaFM: Secret Agent'],
  ['mopidy/one.m3u', 1, ''],
  ['mopidy/one-ext.m3u', 1, 'Song #1'],
  ['mopidy/two-ext.m3u', 2, 'Song #1'],
  ['mopidy/comment-ext.m3u', 1, 'Song #1'],
  ['mopidy/encoding-ext.m3u', 1, 'æøå'],
  ['mopidy/scanner/playlist.m3u', 1, ''],
  ['navidrome/bom-test.m3u', 1, 'Test Artist - Test Song'],
  ['navidrome/bom-test-utf16.m3u', 1, 'Test Artist - Test Song'],
  ['navidrome/cr-ended.m3u', 2, ''],
  ['navidrome/lf-ended.m3u', 2, ''],
  ['navidrome/pls1.m3u', 2, ''],
  ['navidrome/pls-with-art-url.m3u', 2, ''],
  ['navidrome/pls-with-name.m3u', 3, ''],
  ['navidrome/pls-without-name.m3u', 3, ''],
  ['navidrome/subfolder2/pls2.m3u', 4, ''],
  ['beets/playlist.m3u', 2, ''],
  ['beets/playlist_non_ext.m3u', 2, ''],
  ['beets/playlist.m3u8', 2, ''],
  ['beets/playlist_windows.m3u8', 2, ''],
  ['totem-pl-parser/missing-items.pls', 19, 'Absolute Radio (Modem)'],
  [
    'totem-pl-parser/O_G_Money_Snoop_Dogg.m3u',
    1,
    'O G Money - Girl Gotta girlfriend Feat. O G Money, Snoop Dogg',
  ],
  ['totem-pl-parser/radios-freebox.m3u', 1, '10001 - Europe 1'],
  ['totem-pl-parser/live-streaming.m3u', 1, ''],
  ['totem-pl-parser/pukas.wax', 1, 'Pukas'],
  ['totem-pl-parser/remote_xspf.php', 19, '12:15 Terrorattack avvärjd i Australien'],
  ['quodlibet/non-compliant.xspf', 1, 'Your Love Is a Miracle'],
  ['playlistsnet/LatinEncoding.m3u', 1, 'Röyksopp feat. Susanne Sundfør - Running To The Sea'],
  ['playlistsnet/PlaylistExt.m3u', 3, 'Andrea Bocelli - Chiara'],
  ['playlistsnet/Playlist2.pls', 4, ''],
  ['lizzy/playlist-utf16be-bom.m3u', 2, 'Sample artist name - Sample track title'],
  ['lizzy/playlist.jspf', 2, 'Track 1'],
  ['lizzy/test02.xspf', 3, ''],
  ['jspf-cli/example.jspf', 4, 'Song 1'],
]

function requireFixtures(): void {
  if (!existsSync(join(fixtures, 'SOURCES.md'))) {
    throw new Error(
      `Playlist fixtures not found at ${fixtures}. They live in ../shared/fixtures/playlists ` +
        'beside the repository; set WHATNEXT_FIXTURES to their folder.',
    )
  }
}

function load(path: string): ParsedPlaylist {
  requireFixtures()
  return parsePlaylist(new Uint8Array(readFileSync(join(fixtures, path))), path.split('/').pop()!)
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? filesUnder(full) : [relative(fixtures, full)]
  })
}

describe('real playlist fixtures', () => {
  it('has the fixtures folder, and this table matches SOURCES.md and the files on disk', () => {
    requireFixtures()
    const fromSources = new Map<string, number>()
    for (const line of readFileSync(join(fixtures, 'SOURCES.md'), 'utf8').split('\n')) {
      // | # | `path` | repo | source path | commit | license | format | encoding | entries | first title |
      const cells = line.split('|').map((c) => c.trim())
      if (cells.length >= 12 && /^\d+$/.test(cells[1]!)) {
        fromSources.set(cells[2]!.replace(/`/g, ''), Number.parseInt(cells[9]!, 10))
      }
    }
    expect(new Map(EXPECTED.map(([path, count]) => [path, count]))).toEqual(fromSources)
    const onDisk = filesUnder(fixtures)
      .filter((f) => f !== 'SOURCES.md' && f !== '.gitattributes')
      .map((f) => f.split('\\').join('/'))
    expect(onDisk.sort()).toEqual(EXPECTED.map(([path]) => path).sort())
  })

  it.each(EXPECTED)('%s: %i entries', (path, count, firstTitle) => {
    const parsed = load(path)
    expect(parsed.tracks).toHaveLength(count)
    for (const track of parsed.tracks) expect(TrackFieldsSchema.parse(track)).toEqual(track)
    const first = parsed.tracks[0]!
    const m3uOrPls = parsed.format === 'm3u' || parsed.format === 'pls'
    expect(m3uOrPls ? joinDisplay(first) : first.title).toBe(firstTitle)
  })

  it('keeps a title with # across comment lines (mopidy comment-ext)', () => {
    expect(load('mopidy/comment-ext.m3u').tracks[0]).toMatchObject({
      title: 'Song #1',
      source: 'song1.mp3',
    })
  })

  it('reads ISO-8859-1 files as Windows-1252 (PlaylistsNET LatinEncoding, mopidy)', () => {
    const latin = load('playlistsnet/LatinEncoding.m3u')
    expect(latin.encoding).toBe('windows-1252')
    expect(latin.tracks[0]).toMatchObject({
      title: 'Running To The Sea',
      artists: ['Röyksopp feat. Susanne Sundfør'],
      durationMs: 300_000,
      source: 'M:\\Röyksopp feat. Susanne Sundfør - Running To The Sea.mp3',
    })
    expect(load('mopidy/encoding-ext.m3u').tracks[0]).toMatchObject({
      title: 'æøå',
      source: 'æøå.mp3',
    })
  })

  it('decodes UTF-16 LE and BE files by their BOM', () => {
    const le = load('navidrome/bom-test-utf16.m3u')
    expect(le).toMatchObject({ encoding: 'utf-16le', name: 'UTF-16 Test Playlist' })
    const be = load('lizzy/playlist-utf16be-bom.m3u')
    expect(be.encoding).toBe('utf-16be')
    expect(be.tracks[0]!.source).toBe('C:\\Music\\SampleMusic.mp3')
    expect(be.tracks[1]!.source).toContain('ÀÁÂÃäA Ç ÈÉÊË')
  })

  it('strips a UTF-8 BOM so #EXTM3U and #PLAYLIST are seen (navidrome bom-test)', () => {
    expect(load('navidrome/bom-test.m3u')).toMatchObject({
      encoding: 'utf-8',
      name: 'Test Playlist',
    })
  })

  it('gives #EXTALB/#EXTART to entry 3 and #EXTVLCOPT to nothing (PlaylistsNET PlaylistExt)', () => {
    const t = load('playlistsnet/PlaylistExt.m3u').tracks
    expect(t[2]).toMatchObject({
      title: 'E Chiove',
      album: 'AndreaBocelli',
      artists: ['Andrea Bocelli'],
    })
    expect(t.slice(0, 2).map((x) => x.album)).toEqual(['', ''])
    expect(t.map((x) => x.durationMs)).toEqual([254_000, null, null])
  })

  it('orders PLS entries by index 1,2,3,4, not by file order (PlaylistsNET Playlist2)', () => {
    const t = load('playlistsnet/Playlist2.pls').tracks
    expect(t.map((x) => x.source)).toEqual([
      'http://stream3.polskieradio.pl:8902/',
      'http://stream.polskastacja.pl/ps43_mp3?player_group=PS_EXT_MP3',
      '/home/uzytkownik/muzyka-1.mp3',
      'Weird Al - This Is The Life.mp3',
    ])
    expect(t[1]!.title).toBe('Server1-> >>> P O L S K A S T A C J A <<<- Ballady Rockowe')
    expect(t[2]).toMatchObject({
      title: 'Sprzedawcy Marzeń',
      artists: ['Myslovitz'],
      durationMs: 5_720_000,
    })
  })

  it('takes the name from #PLAYLIST and decodes file:// entries to paths (navidrome pls-with-name)', () => {
    const p = load('navidrome/pls-with-name.m3u')
    expect(p.name).toBe('playlist 1')
    expect(p.tracks.map((t) => t.source)).toEqual([
      'tests/fixtures/test.mp3',
      'tests/fixtures/test.ogg',
      '/tests/fixtures/01 Invisible (RED) Edit Version.mp3',
    ])
    expect(load('navidrome/pls-without-name.m3u').name).toBeUndefined()
  })

  it('splits CR-only lines (navidrome cr-ended)', () => {
    expect(load('navidrome/cr-ended.m3u').tracks.map((t) => t.source)).toEqual([
      'abc.mp3',
      'def.mp3',
    ])
  })

  it('reads one ASX entry with two refs as one track with the first ref (totem pukas.wax)', () => {
    const p = load('totem-pl-parser/pukas.wax')
    expect(p.tracks).toHaveLength(1)
    expect(p.tracks[0]!.source).toBe('mms://82.135.234.195/Pukas')
    expect(p.name).toBe('Pukas')
  })

  it('reads ASX that is not well-formed XML leniently (Clementine secretagent.asx)', () => {
    const agent = load('clementine/secretagent.asx').tracks
    expect(agent).toHaveLength(4)
    expect(agent[0]).toMatchObject({
      title: 'SomaFM: Secret Agent',
      artists: ['Keep us on the air! Click Support SomaFM above!'],
    })
  })

  it('detects XSPF behind a .php name: 19 tracks, CDATA titles with Swedish letters', () => {
    const p = load('totem-pl-parser/remote_xspf.php')
    expect(p.format).toBe('xspf')
    expect(p.tracks).toHaveLength(19)
    expect(p.tracks[0]!.title).toBe('12:15 Terrorattack avvärjd i Australien')
    expect(p.tracks.some((t) => /[åäö]/.test(t.title))).toBe(true)
  })

  it('reads XSPF without namespace, decoding entities in a plain path (Quod Libet)', () => {
    const p = load('quodlibet/non-compliant.xspf')
    expect(p.name).toBe('100% 😈')
    expect(p.tracks[0]!.source).toBe(
      "/music/Funk & Disco/Average White Band - Pickin' Up The Pieces/Average White Band - Your Love Is a Miracle.flac",
    )
  })

  it('reads non-standard JSPF with a warning, and keeps JSPF tracks without a location', () => {
    const lizzy = load('lizzy/playlist.jspf')
    expect(lizzy.tracks.map((t) => t.source)).toEqual([
      'http://example.com/track1',
      'http://example.com/track2',
    ])
    expect(lizzy.warnings.some((w) => /not standard JSPF/i.test(w.message))).toBe(true)
    const cli = load('jspf-cli/example.jspf').tracks
    expect(cli[0]).toMatchObject({ title: 'Song 1', source: '' })
    expect(cli[3]).toMatchObject({ title: '曲 3', artists: ['アーティスト3'], album: 'アルバム3' })
  })

  it('reads lowercase PLS keys with gaps and comments, genres as tags (totem missing-items)', () => {
    const t = load('totem-pl-parser/missing-items.pls').tracks
    expect(t[0]!.tags).toEqual(['Pop'])
  })
})

// Export → import for every export format, property-style: seeded random playlists of
// tricky tracks must come back with every field the format carries.
//
// What each format carries (policy):
// - Markdown, JSPF, XSPF: every field, exactly (XSPF/JSPF use a WhatNext extension for
//   several artists, tags and paths whose URI form would not read back the same).
// - CSV: every field; several artists or tags are joined with "; ", so an artist or tag
//   that itself contains ";" comes back split (see the last test).
// - M3U8: source, duration in whole seconds, the "Artists - Title" display text, album.
// - PLS: source, duration in whole seconds, the "Artists - Title" display text (artists
//   of a track without a title are lost).
//   M3U8 and PLS cannot hold a track without a source: it is left out and counted in
//   `skipped`, never dropped silently.
import { describe, expect, it } from 'vitest'
import { TrackFieldsSchema, normalizeTrackInput, type TrackFields } from '../model/schemas.ts'
import { EXPORT_FORMATS, exportPlaylist, type ExportFormat } from './index.ts'
import { joinDisplay } from './shared.ts'
import { parseText } from './test-support.ts'
import { seededRandom } from '../test-support/random.ts'

const TITLES = [
  'Ünïcode 日本 🎵',
  'Commas, "quotes" and <tags> & stuff',
  "Apostrophe's",
  '---',
  '# not a heading',
  'A - B',
  'Title: with colon',
  'yes',
  'null',
  '123',
  '[link](x) *stars* _under_ `code`',
  '=1+1',
  "'=quoted formula",
  'tab\there',
  '- dash',
  '@mention',
  'über – en — em',
  '\\back\\slash\\',
  'x'.repeat(500),
  '',
]
const ARTISTS = [
  'Björk',
  'Crosby, Stills & Nash',
  'AC/DC',
  '"Weird Al" Yankovic',
  'Sigur Rós',
  '𝄞 Clef',
  'A - B',
  '#1 Fan',
  '+44',
]
const ALBUMS = ['', '', 'Album: "Live"', 'Ünï 🎵', '---', '|pipe|']
const DURATIONS = [null, null, 1, 400, 999, 1000, 61_234, 205_000, 3_600_000, 604_800_000]
const SOURCES = [
  '',
  'https://x.test/a?b=1&c=2#frag',
  '/music/with space/ä.flac',
  'C:\\Music\\x.mp3',
  'relative/path #1?.mp3',
  '../up.ogg',
  'file name with spaces.mp3',
  '\\\\server\\share\\x.mp3',
  'spotify:track:4uLU6hMCjMI75M1A2tKUQC',
  'smb://nas/x%20y.mp3',
  '/path/50%.mp3',
  'http://[::1]:8000/s',
]
const NOTES = [
  '',
  '',
  'line 1\nline 2',
  '---\nfront: matter?\n---',
  '  leading spaces',
  'trailing  ',
  'tab\tand "quotes", commas',
  '# heading\n\n- list\n1. item',
  'emoji 🎵 and ünïcode',
  'CR\r\nLF',
  '|\n>\n- ',
  "'=formula",
  'n'.repeat(10_000),
]
const TAGS = ['chill', 'late night', 'über', 'a,b', '#tag', '"q"', 't'.repeat(64), '=sum']

function randomTracks(seed: number, count: number): TrackFields[] {
  const next = seededRandom(seed)
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!
  const some = <T>(list: readonly T[], max: number) =>
    Array.from({ length: Math.floor(next() * (max + 1)) }, () => pick(list))
  const tracks: TrackFields[] = []
  while (tracks.length < count) {
    const t = normalizeTrackInput({
      title: pick(TITLES),
      artists:
        next() < 0.1 ? Array.from({ length: 12 }, (_, i) => `Artist ${i}`) : some(ARTISTS, 3),
      album: pick(ALBUMS),
      durationMs: pick(DURATIONS),
      source: pick(SOURCES),
      notes: pick(NOTES),
      tags: some(TAGS, 4),
    })
    if (t.title || t.source) tracks.push(TrackFieldsSchema.parse(t))
  }
  return tracks
}

const NAME = 'Trip: 日本 / "best" --- #1'
const DESCRIPTION = 'First line\nSecond: "line" --- # and more'

function roundTrip(format: ExportFormat, tracks: TrackFields[]) {
  const file = exportPlaylist({ name: NAME, description: DESCRIPTION, tracks }, format)
  const back = parseText(file.fileName, file.content)
  const extension = EXPORT_FORMATS.find((f) => f.format === format)!.extension
  expect(file.fileName.endsWith(extension)).toBe(true)
  expect(back.format).toBe(format === 'm3u8' ? 'm3u' : format)
  return { file, back }
}

const wholeSeconds = (ms: number | null) => {
  const seconds = ms === null ? 0 : Math.round(ms / 1000)
  return seconds > 0 ? seconds * 1000 : null
}

describe.each([1, 2, 3, 4, 5])('round trip of random playlist #%i', (seed) => {
  const tracks = randomTracks(seed, 60)

  it.each(['markdown', 'jspf', 'xspf'] as const)(
    '%s keeps every field, name and description',
    (format) => {
      const { back } = roundTrip(format, tracks)
      expect(back.tracks).toEqual(tracks)
      expect(back.name).toBe(NAME)
      expect(back.description).toBe(DESCRIPTION)
      expect(back.warnings).toEqual([])
    },
  )

  it('csv keeps every field', () => {
    const { back } = roundTrip('csv', tracks)
    expect(back.tracks).toEqual(tracks)
    expect(back.warnings).toEqual([])
  })

  it.each(['m3u8', 'pls'] as const)(
    '%s keeps source, whole-second duration and "Artists - Title"',
    (format) => {
      const { file, back } = roundTrip(format, tracks)
      const kept = tracks.filter((t) => t.source)
      expect(file.skipped).toBe(tracks.length - kept.length)
      expect(back.tracks.map((t) => t.source)).toEqual(kept.map((t) => t.source))
      expect(back.tracks.map((t) => t.durationMs)).toEqual(
        kept.map((t) => wholeSeconds(t.durationMs)),
      )
      // PLS has no place for artists without a title, and its readers split the display
      // at the first " - ": an artist "A - B" comes back as artist "A", title "B - …",
      // which may then exceed the title limit. M3U8 marks both cases with #EXTART.
      const plsAmbiguous = (t: TrackFields) =>
        format === 'pls' && t.artists.some((a) => a.includes(' - '))
      expect(back.tracks.filter((_, i) => !plsAmbiguous(kept[i]!)).map(joinDisplay)).toEqual(
        kept
          .filter((t) => !plsAmbiguous(t))
          .map((t) => (t.title || format === 'm3u8' ? joinDisplay(t) : '')),
      )
      if (format === 'm3u8') {
        expect(back.name).toBe(NAME)
        expect(back.tracks.map((t) => t.album)).toEqual(kept.map((t) => t.album))
      }
    },
  )
})

describe('round trip edge cases', () => {
  it('exports the same playlist to byte-identical files in every format', () => {
    const tracks = randomTracks(42, 30)
    for (const { format } of EXPORT_FORMATS) {
      const a = exportPlaylist({ name: NAME, description: DESCRIPTION, tracks }, format)
      const b = exportPlaylist(
        { name: NAME, description: DESCRIPTION, tracks: structuredClone(tracks) },
        format,
      )
      expect(a).toEqual(b)
    }
  })

  it('csv splits an artist or tag that itself contains ";" (documented limit)', () => {
    const track: TrackFields = {
      title: 't',
      artists: ['Semi; Colon'],
      album: '',
      durationMs: null,
      source: '',
      notes: '',
      tags: ['a;b'],
    }
    const { back } = roundTrip('csv', [track])
    expect(back.tracks[0]).toMatchObject({ artists: ['Semi', 'Colon'], tags: ['a', 'b'] })
  })
})

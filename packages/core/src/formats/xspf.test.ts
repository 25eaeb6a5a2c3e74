import { describe, expect, it } from 'vitest'
import { ImportError } from '../errors.ts'
import { emptyTrackFields } from '../model/schemas.ts'
import { WHATNEXT_NS, exportPlaylist } from './index.ts'
import { thrown } from './test-support.ts'
import { parseXspf } from './xspf.ts'

describe('XSPF import', () => {
  it('reads namespaced XSPF with a prefix, entities, CDATA, several locations and a foreign extension', () => {
    const p = parseXspf(
      `<?xml version="1.0" encoding="UTF-8"?>
<x:playlist version="1" xmlns:x="http://xspf.org/ns/0/">
  <x:title>Tom &amp; Jerry &#x1F3B5;</x:title>
  <x:annotation>About the list</x:annotation>
  <x:trackList>
    <x:track>
      <x:location></x:location>
      <x:location>file:///music/a%20b.mp3</x:location>
      <x:location>http://alt</x:location>
      <x:title><![CDATA[<Cool> & "raw"]]></x:title>
      <x:creator>Me</x:creator>
      <x:album>Al</x:album>
      <x:annotation>Note</x:annotation>
      <x:duration>61000</x:duration>
      <x:extension application="http://other.example/"><foo>bar</foo></x:extension>
    </x:track>
    <x:track><x:info>https://example.com/song</x:info><x:title>Info only</x:title></x:track>
  </x:trackList>
</x:playlist>`,
      'n.xspf',
    )
    expect(p.name).toBe('Tom & Jerry 🎵')
    expect(p.description).toBe('About the list')
    expect(p.tracks).toEqual([
      {
        title: '<Cool> & "raw"',
        artists: ['Me'],
        album: 'Al',
        durationMs: 61_000,
        source: '/music/a b.mp3',
        notes: 'Note',
        tags: [],
      },
      { ...emptyTrackFields(), title: 'Info only', source: 'https://example.com/song' },
    ])
  })

  it('reads XSPF without a namespace or XML declaration', () => {
    const p = parseXspf(
      '<playlist><trackList><track><location>/x.flac</location></track></trackList></playlist>',
      'plain.xspf',
    )
    expect(p.tracks).toEqual([{ ...emptyTrackFields(), source: '/x.flac' }])
  })

  it('reads WhatNext extension fields: every artist, tags and the exact source', () => {
    const p = parseXspf(
      `<playlist xmlns="http://xspf.org/ns/0/" version="1"><trackList><track>
<location>file:///C:/a.mp3</location><title>T</title><creator>A, B</creator>
<extension application="${WHATNEXT_NS}"><source>C:\\a.mp3</source><artist>A</artist><artist>B</artist><tag>x</tag></extension>
</track></trackList></playlist>`,
      'w.xspf',
    )
    expect(p.tracks[0]).toMatchObject({ source: 'C:\\a.mp3', artists: ['A', 'B'], tags: ['x'] })
  })

  it.each([
    [
      'a close tag that does not match',
      '<playlist>\n<trackList>\n<track><title>x</title>\n</trackList>\n</playlist>',
      4,
      '</trackList> does not close <track>',
    ],
    [
      'a stray close tag',
      '<playlist>\n<trackList></trackList>\n</title>\n</playlist>',
      3,
      '</title> does not close <playlist>',
    ],
    ['an element never closed', '<playlist>\n<trackList>\n<track>', 3, '<track> is never closed'],
  ])('refuses malformed XML (%s) naming file and line', (_, text, line, problem) => {
    const e = thrown(() => parseXspf(text, 'bad.xspf'))
    expect(e).toBeInstanceOf(ImportError)
    expect(e.message).toBe(
      `Cannot import bad.xspf: it is not well-formed XML: ${problem} (line ${line})`,
    )
    expect(e.details).toMatchObject({ fileName: 'bad.xspf', line })
  })

  it('refuses XML without a <playlist> element', () => {
    expect(thrown(() => parseXspf('<rss></rss>', 'feed.xspf')).message).toMatch(
      /feed\.xspf: it is not an XSPF playlist/,
    )
  })
})

describe('XSPF export', () => {
  it('writes version 1 with the namespace, URIs for paths, and an extension only when needed', () => {
    const file = exportPlaylist(
      {
        name: 'A & B',
        description: 'Line 1\r\nLine 2',
        tracks: [
          {
            ...emptyTrackFields(),
            title: 'Plain',
            artists: ['Solo'],
            durationMs: 1000,
            source: 'https://x.test/?a=1&b=2',
          },
          {
            ...emptyTrackFields(),
            title: 'Path #1?',
            artists: ['A', 'B'],
            source: '/music/#1?.mp3',
            tags: ['t'],
          },
          { ...emptyTrackFields(), title: 'Win', source: 'C:\\M\\x.mp3' },
        ],
      },
      'xspf',
    )
    expect(file.fileName).toBe('A & B.xspf')
    expect(file.mimeType).toBe('application/xspf+xml')
    expect(file.content).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<playlist version="1" xmlns="http://xspf.org/ns/0/">
  <title>A &amp; B</title>
  <annotation>Line 1&#13;
Line 2</annotation>
  <trackList>
    <track>
      <location>https://x.test/?a=1&amp;b=2</location>
      <title>Plain</title>
      <creator>Solo</creator>
      <duration>1000</duration>
    </track>
    <track>
      <location>file:///music/%231%3F.mp3</location>
      <title>Path #1?</title>
      <creator>A, B</creator>
      <extension application="${WHATNEXT_NS}">
        <artist>A</artist>
        <artist>B</artist>
        <tag>t</tag>
      </extension>
    </track>
    <track>
      <location>file:///C:/M/x.mp3</location>
      <title>Win</title>
      <extension application="${WHATNEXT_NS}">
        <source>C:\\M\\x.mp3</source>
      </extension>
    </track>
  </trackList>
</playlist>
`)
  })
})

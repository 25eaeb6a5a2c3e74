import { describe, expect, it } from 'vitest'
import { ImportError } from '../errors.ts'
import { emptyTrackFields, type TrackFields } from '../model/schemas.ts'
import { exportPlaylist } from './index.ts'
import { parseMarkdown } from './markdown.ts'
import { thrown } from './test-support.ts'

const track = (fields: Partial<TrackFields>): TrackFields => ({ ...emptyTrackFields(), ...fields })

describe('Markdown import', () => {
  it('reads front matter with unicode and ignores the body when the front matter has tracks', () => {
    const p = parseMarkdown(
      [
        '---',
        'whatnext: 1',
        'name: Café ☕ 日本',
        'description: "Ünïcode: yes"',
        'tracks:',
        '  - title: "Jóga: live"',
        '    artists: [Björk, "Sjón"]',
        '    duration: "5:05"',
        '    source: https://x.test/j',
        '    notes: |-',
        '      line 1',
        '      ---',
        '      # not a heading',
        '  - title: Exact',
        '    duration_ms: 1234',
        '  - Just a title',
        '---',
        '',
        '# Body title',
        '',
        '1. **Ignored** — Nobody',
      ].join('\n'),
      'm.md',
    )
    expect(p).toEqual({
      name: 'Café ☕ 日本',
      description: 'Ünïcode: yes',
      warnings: [],
      tracks: [
        track({
          title: 'Jóga: live',
          artists: ['Björk', 'Sjón'],
          durationMs: 305_000,
          source: 'https://x.test/j',
          notes: 'line 1\n---\n# not a heading',
        }),
        track({ title: 'Exact', durationMs: 1234 }),
        track({ title: 'Just a title' }),
      ],
    })
  })

  it('imports a hand-written Markdown list when the front matter has no tracks', () => {
    const p = parseMarkdown(
      [
        '# Road trip',
        '',
        'Some prose that is not a track.',
        '',
        '- Hyperballad — Björk',
        '* [Jóga](https://x.test/j) - Björk, Sjón · *Homogenic* · 5:05',
        '1. **Army of Me** – Björk',
        '2) Plain title',
        '```',
        '- not a track (code block)',
        '```',
      ].join('\n'),
      'hand.md',
    )
    expect(p.name).toBe('Road trip')
    expect(p.tracks).toEqual([
      track({ title: 'Hyperballad', artists: ['Björk'] }),
      track({
        title: 'Jóga',
        artists: ['Björk', 'Sjón'],
        album: 'Homogenic',
        durationMs: 305_000,
        source: 'https://x.test/j',
      }),
      track({ title: 'Army of Me', artists: ['Björk'] }),
      track({ title: 'Plain title' }),
    ])
  })

  it('reports invalid YAML with its line in the file', () => {
    const e = thrown(() =>
      parseMarkdown('---\nname: ok\ntracks:\n  - title: a\n   bad: [unclosed\n---\n', 'y.md'),
    )
    expect(e).toBeInstanceOf(ImportError)
    expect(e.message).toMatch(
      /^Cannot import y\.md: its YAML front matter is invalid: .* \(line 5, column \d+\)$/,
    )
  })

  it('refuses front matter that is never closed, or whose tracks is not a list', () => {
    expect(thrown(() => parseMarkdown('---\nname: x\n', 'open.md')).message).toBe(
      'Cannot import open.md: its front matter is never closed with a "---" line (line 1)',
    )
    expect(thrown(() => parseMarkdown('---\nname: x\ntracks: nope\n---\n', 't.md')).message).toBe(
      'Cannot import t.md: "tracks" in the front matter must be a list (line 3)',
    )
  })

  it('warns about a newer format version and about entries it cannot read, with their lines', () => {
    const p = parseMarkdown('---\nwhatnext: 2\ntracks:\n  - title: ok\n  - 42\n---\n', 'v.md')
    expect(p.tracks).toHaveLength(1)
    expect(p.warnings).toEqual([
      { line: 5, message: 'Track 2 in the front matter is not a mapping; skipped' },
      { message: 'Written by a newer WhatNext (format 2); read as format 1' },
    ])
  })
})

describe('Markdown export', () => {
  const tracks = [
    track({
      title: 'Title *with* [marks]',
      artists: ['A', 'B'],
      album: 'Al',
      durationMs: 205_000,
      source: 'https://x.test/a b',
      notes: 'n1\n---\nn3',
      tags: ['t'],
    }),
    track({ title: 'Exact', durationMs: 1234 }),
  ]

  it('writes front matter with every field and a readable numbered list', () => {
    const file = exportPlaylist({ name: 'My: list', description: 'Desc', tracks }, 'markdown')
    expect(file.fileName).toBe('My list.md')
    expect(file.mimeType).toBe('text/markdown')
    expect(file.content).toBe(`---
whatnext: 1
name: "My: list"
description: Desc
tracks:
  - title: Title *with* [marks]
    artists:
      - A
      - B
    album: Al
    duration: "3:25"
    source: https://x.test/a b
    tags:
      - t
    notes: |-
      n1
      ---
      n3
  - title: Exact
    duration_ms: 1234
---

# My: list

Desc

1. **[Title \\*with\\* \\[marks\\]](<https://x.test/a b>)** — A, B · *Al* · 3:25
2. **Exact** · 0:01
`)
  })

  it('is deterministic: the same playlist gives byte-identical files', () => {
    const a = exportPlaylist({ name: 'D', description: '', tracks }, 'markdown').content
    const b = exportPlaylist(
      { name: 'D', description: '', tracks: structuredClone(tracks) },
      'markdown',
    ).content
    expect(a).toBe(b)
  })
})

import { describe, expect, it } from 'vitest'
import { ImportError } from '../errors.ts'
import { parseAsx } from './asx.ts'
import { thrown } from './test-support.ts'

describe('ASX import', () => {
  it('reads elements in any case, tolerates mismatched close tags, and takes the first of several refs', () => {
    const p = parseAsx(
      `<ASX Version="3.0">
  <Entry>
    <Title>One &amp; Only</Title>
    <AUTHOR>Someone</AUTHOR>
    <Abstract>About it</abstract>
    <Duration value="00:03:25.50" />
    <REF HREF = "mms://a/1" />
    <ref href="http://a/1" />
  </ENTRY>
  <repeat><entry><ref href="file:///C:/Music/2%20b.wma"/></entry></repeat>
  <EntryRef href="http://other/list.asx" />
  <Title>Playlist title after the entries</Title>
</asx>`,
      'x.asx',
    )
    expect(p.name).toBe('Playlist title after the entries')
    expect(p.tracks).toEqual([
      {
        title: 'One & Only',
        artists: ['Someone'],
        album: '',
        durationMs: 205_500,
        source: 'mms://a/1',
        notes: 'About it',
        tags: [],
      },
      {
        title: '',
        artists: [],
        album: '',
        durationMs: null,
        source: 'C:/Music/2 b.wma',
        notes: '',
        tags: [],
      },
    ])
    expect(p.warnings).toEqual([
      { line: 11, message: 'A reference to another playlist (ENTRYREF) was not followed' },
    ])
  })

  it('refuses XML without an <asx> element', () => {
    const e = thrown(() => parseAsx('<foo><entry/></foo>', 'x.wvx'))
    expect(e).toBeInstanceOf(ImportError)
    expect(e.message).toMatch(/^Cannot import x\.wvx: .*no <asx> element \(line 1\)$/)
  })
})

import { describe, expect, it } from 'vitest'
import { ImportError } from '../errors.ts'
import { decodeText } from './decode.ts'
import { detectFormat } from './detect.ts'
import { IMPORT_EXTENSIONS } from './index.ts'
import { latin1, thrown, utf16, utf8 } from './test-support.ts'

describe('decodeText', () => {
  it('follows a BOM: UTF-8, UTF-16LE, UTF-16BE (and drops it)', () => {
    expect(decodeText(utf8('#EXTM3U é', true))).toEqual({ text: '#EXTM3U é', encoding: 'utf-8' })
    expect(decodeText(utf16('ä 🎵', 'le'))).toEqual({ text: 'ä 🎵', encoding: 'utf-16le' })
    expect(decodeText(utf16('ä 🎵', 'be'))).toEqual({ text: 'ä 🎵', encoding: 'utf-16be' })
  })

  it('reads valid UTF-8 as UTF-8 and anything else as Windows-1252', () => {
    expect(decodeText(utf8('Röyksopp 日本'))).toEqual({ text: 'Röyksopp 日本', encoding: 'utf-8' })
    expect(decodeText(latin1('Röyksopp Sundfør'))).toEqual({
      text: 'Röyksopp Sundfør',
      encoding: 'windows-1252',
    })
    expect(decodeText(new Uint8Array([0x93, 0x41, 0x94, 0x80]))).toEqual({
      text: '“A”€',
      encoding: 'windows-1252',
    })
  })

  it('recognises BOM-less UTF-16 by its zero bytes', () => {
    expect(decodeText(utf16('#EXTM3U\n/a.mp3\n', 'le').subarray(2)).encoding).toBe('utf-16le')
  })
})

describe('detectFormat', () => {
  it.each([
    ['remote_xspf.php', '<?xml version="1.0"?>\n<playlist xmlns="http://xspf.org/ns/0/">', 'xspf'],
    ['list.m3u', '[playlist]\nFile1=x', 'pls'],
    ['list.txt', '#EXTM3U\n/a.mp3', 'm3u'],
    ['noext', '\t#EXTINF:1,x\n/a.mp3', 'm3u'],
    ['a.xml', '<ASX version="3"><entry/></ASX>', 'asx'],
    ['x.json', '{"playlist":{}}', 'jspf'],
    ['x.jspf', '[1]', 'jspf'],
    ['notes.txt', '---\nname: x\n---\n', 'markdown'],
    ['a.csv', 'title,artist\nx,y', 'csv'],
    ['a.md', '[My mix](https://x) is below\n- a', 'markdown'],
    ['plain.m3u8', '/a.mp3', 'm3u'],
    ['x.WAX', '', 'asx'],
  ])('%s → %s', (name, text, format) => {
    expect(detectFormat(name, text)).toBe(format)
  })

  it('lists every extension it reads for file pickers', () => {
    expect(IMPORT_EXTENSIONS).toEqual(
      expect.arrayContaining([
        '.m3u',
        '.m3u8',
        '.pls',
        '.xspf',
        '.jspf',
        '.asx',
        '.wax',
        '.wvx',
        '.csv',
        '.md',
      ]),
    )
  })

  it.each([
    [
      'diary.txt',
      'Dear diary, today I made a playlist.',
      /"\.txt" files are not a playlist format/,
    ],
    ['page.m3u', '<!DOCTYPE html>\n<html><body>404</body></html>', /it is a web page/],
    ['feed.m3u', '<?xml version="1.0"?><rss/>', /XML document but not an XSPF or ASX/],
    ['blob.m3u', 'abc\u0000def', /binary file/],
  ])('refuses %s with a message naming the file', (name, text, reason) => {
    const e = thrown(() => detectFormat(name, text))
    expect(e).toBeInstanceOf(ImportError)
    expect(e.message).toMatch(reason)
    expect(e.message).toContain(`Cannot import ${name}:`)
  })
})

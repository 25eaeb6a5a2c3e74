/**
 * A small XML tree on htmlparser2 (works in workers and Node; no DOMParser). Strict mode
 * refuses what a browser's XML parser would (unclosed or mismatched tags) and reports
 * the line; lenient mode (ASX, which players read case-insensitively and loosely)
 * lower-cases names and closes what the file forgot to.
 */
import { Parser } from 'htmlparser2'
import { fail, lineIndex } from './shared.ts'

/** One element. Names are local (prefix dropped), lower-cased in lenient mode. */
export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
  line: number
}

/** Parses `text` into a root element. */
export function parseXml(text: string, fileName: string, mode: 'strict' | 'lenient'): XmlElement {
  const lineAt = lineIndex(text)
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '', line: 1 }
  const stack: XmlElement[] = [root]
  let problem: { message: string; line: number } | null = null
  const local = (name: string) => {
    const bare = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name
    return mode === 'lenient' ? bare.toLowerCase() : bare
  }
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const el: XmlElement = {
          name: local(name),
          attrs: {},
          children: [],
          text: '',
          line: lineAt(parser.startIndex),
        }
        for (const [k, v] of Object.entries(attrs)) el.attrs[local(k)] = v
        stack.at(-1)!.children.push(el)
        stack.push(el)
      },
      ontext(data) {
        stack.at(-1)!.text += data
      },
      oncdatastart() {},
      onclosetag(name, isImplied) {
        if (isImplied && mode === 'strict' && !problem) {
          problem = { message: `<${name}> is not closed`, line: lineAt(parser.startIndex) }
        }
        if (stack.length > 1) stack.pop()
      },
    },
    {
      xmlMode: true,
      decodeEntities: true,
      recognizeCDATA: true,
      lowerCaseTags: mode === 'lenient',
      lowerCaseAttributeNames: mode === 'lenient',
    },
  )
  parser.write(text)
  parser.end()
  if (problem) {
    const p = problem as { message: string; line: number }
    fail(fileName, `is not well-formed XML: ${p.message}`, p.line)
  }
  if (mode === 'strict') {
    // htmlparser2 silently drops a close tag that matches nothing open; a strict reader must not.
    const opens = countTags(text)
    for (const [name, counts] of opens) {
      if (counts.close > counts.open) {
        fail(
          fileName,
          `is not well-formed XML: </${name}> closes nothing`,
          findCloseLine(text, name, lineAt),
        )
      }
    }
  }
  return root
}

function countTags(text: string): Map<string, { open: number; close: number }> {
  const counts = new Map<string, { open: number; close: number }>()
  const body = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '')
  for (const m of body.matchAll(/<(\/?)([A-Za-z_][\w:.-]*)[^>]*?(\/?)>/g)) {
    const name = m[2]!
    const entry = counts.get(name) ?? { open: 0, close: 0 }
    if (m[1]) entry.close++
    else if (!m[3]) entry.open++
    counts.set(name, entry)
  }
  return counts
}

function findCloseLine(text: string, name: string, lineAt: (offset: number) => number): number {
  const at = text.lastIndexOf(`</${name}`)
  return lineAt(Math.max(0, at))
}

/** Direct children named `name`. */
export function children(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name)
}

/** First direct child named `name`. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name)
}

/** Text of the first direct child named `name`, trimmed ('' if none). */
export function childText(el: XmlElement, name: string): string {
  return textOf(child(el, name))
}

/** All text inside an element, trimmed. */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return ''
  return (el.text + el.children.map((c) => textOf(c)).join('')).trim()
}

/** Every descendant named `name`, in document order. */
export function descendants(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (c.name === name) out.push(c)
    descendants(c, name, out)
  }
  return out
}

/**
 * A small XML tree on htmlparser2 (works in workers and Node; no DOMParser). Strict mode
 * refuses what an XML parser would (a close tag that does not match the open element,
 * an element never closed) and names the line; lenient mode (ASX, which players read
 * case-insensitively and loosely) lower-cases names and closes what the file forgot to.
 */
import { Parser, type Handler, type ParserOptions } from 'htmlparser2'
import { fail, lineIndex } from './shared.ts'

/** One element. Names are local (prefix dropped), lower-cased in lenient mode. */
export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
  line: number
}

interface OpenTag {
  name: string
  offset: number
}

/**
 * htmlparser2 forgives bad nesting silently: a stray close tag is dropped and a
 * mismatched one implies closes. Its tokenizer hooks (`onopentagname`, `onclosetag`,
 * public though marked internal, see htmlparser2 `src/Parser.ts`) see every tag with
 * its offsets, so this subclass keeps its own stack and records the first problem.
 * Offsets equal string indices because the text is written in one call.
 */
class CheckingParser extends Parser {
  readonly open: OpenTag[] = []
  problem: { message: string; offset: number } | null = null

  private readonly source: string

  constructor(source: string, handler: Partial<Handler>, options: ParserOptions) {
    super(handler, options)
    this.source = source
  }

  override onopentagname(start: number, endIndex: number): void {
    this.open.push({ name: this.source.slice(start, endIndex), offset: start })
    super.onopentagname(start, endIndex)
  }

  override onselfclosingtag(endIndex: number): void {
    this.open.pop()
    super.onselfclosingtag(endIndex)
  }

  override onclosetag(start: number, endIndex: number): void {
    const name = this.source.slice(start, endIndex)
    const top = this.open.at(-1)
    if (top?.name === name) this.open.pop()
    else if (!this.problem) {
      this.problem = {
        message: top
          ? `</${name}> does not close <${top.name}>`
          : `</${name}> closes no open element`,
        offset: start,
      }
    }
    super.onclosetag(start, endIndex)
  }
}

/** Parses `text` into a root element; in strict mode throws ImportError on bad nesting. */
export function parseXml(text: string, fileName: string, mode: 'strict' | 'lenient'): XmlElement {
  const lineAt = lineIndex(text)
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '', line: 1 }
  const stack: XmlElement[] = [root]
  const lenient = mode === 'lenient'
  const local = (name: string) => {
    const bare = name.slice(name.indexOf(':') + 1)
    return lenient ? bare.toLowerCase() : bare
  }
  const parser: CheckingParser = new CheckingParser(
    text,
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
      onclosetag() {
        if (stack.length > 1) stack.pop()
      },
    },
    {
      xmlMode: true,
      decodeEntities: true,
      recognizeCDATA: true,
      lowerCaseTags: lenient,
      lowerCaseAttributeNames: lenient,
    },
  )
  parser.write(text)
  const unclosed = parser.open.at(-1)
  parser.end()
  if (!lenient) {
    const p = parser.problem
    if (p) fail(fileName, `it is not well-formed XML: ${p.message}`, lineAt(p.offset))
    if (unclosed) {
      fail(
        fileName,
        `it is not well-formed XML: <${unclosed.name}> is never closed`,
        lineAt(unclosed.offset),
      )
    }
  }
  return root
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

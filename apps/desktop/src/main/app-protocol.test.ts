import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, addCspHeader, resolveAppRequest } from './app-protocol.ts'

const root = resolve('/srv/web')
const files = new Set(
  ['index.html', 'join.html', '_next/static/app.js', 'icons/a b.png'].map((f) => join(root, f)),
)
const exists = (p: string) => files.has(p)
const get = (url: string) => resolveAppRequest(url, root, exists)

describe('app:// protocol', () => {
  it('serves the export: index, pages without extension, assets, encoded names', () => {
    expect(get('app://whatnext/')).toMatchObject({ status: 200, path: join(root, 'index.html') })
    expect(get('app://whatnext/join#token')).toMatchObject({
      status: 200,
      path: join(root, 'join.html'),
    })
    expect(get('app://whatnext/_next/static/app.js?v=1')).toMatchObject({
      status: 200,
      headers: { 'content-type': 'text/javascript; charset=utf-8' },
    })
    expect(get('app://whatnext/icons/a%20b.png')).toMatchObject({ status: 200 })
    expect(get('app://whatnext/missing.js')).toMatchObject({ status: 404 })
  })

  it('sends a strict CSP with every file', () => {
    const answer = get('app://whatnext/')
    expect(answer.status === 200 && answer.headers['content-security-policy']).toBe(
      CONTENT_SECURITY_POLICY,
    )
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
  })

  it('adds the same CSP to every response through webRequest', () => {
    let headers: Record<string, string | string[]> = {}
    addCspHeader({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = r.responseHeaders))
    expect(headers).toEqual({
      'X-Other': ['1'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    })
  })

  it.each([
    'app://whatnext/../etc/passwd',
    'app://whatnext/%2e%2e/%2e%2e/etc/passwd',
    'app://whatnext/_next/%2e%2e%2f%2e%2e%2fsecret',
    'app://whatnext/..%5c..%5cwindows%5cwin.ini',
    'app://whatnext/C:%5cWindows%5cwin.ini',
    'app://whatnext/c:/windows/win.ini',
    'app://whatnext/index.html%00.png',
    'app://whatnext/_next/..%2f..%2f..%2fetc%2fpasswd',
  ])('refuses path traversal: %s', (url) => {
    const answer = get(url)
    expect(answer.status, url).not.toBe(200)
  })

  it('refuses other origins, schemes and malformed URLs', () => {
    expect(get('app://evil/index.html')).toMatchObject({ status: 403 })
    expect(get('file:///srv/web/index.html')).toMatchObject({ status: 403 })
    expect(get('not a url')).toMatchObject({ status: 400 })
    expect(get('app://whatnext/%E0%A4%A')).toMatchObject({ status: 400 })
  })
})

import { describe, expect, it, vi } from 'vitest'
import { IpcRefusedError, createIpcRouter, type IpcSender } from './ipc.ts'

const good: IpcSender = { webContentsId: 7, frameUrl: 'app://whatnext/', isMainFrame: true }

function router() {
  const openExternal = vi.fn(() => true)
  const refused: string[] = []
  const r = createIpcRouter(
    { 'shell/openExternal': openExternal, 'window/setPlaylist': () => 'ok' },
    { isTrusted: (id) => id === 7, onRefused: (why) => refused.push(why) },
  )
  return { r, openExternal, refused }
}

describe('IPC sender validation', () => {
  it('passes a valid call from our window to its handler', async () => {
    const { r, openExternal } = router()
    await expect(r.invoke('shell/openExternal', good, { url: 'https://a.example/' })).resolves.toBe(
      true,
    )
    expect(openExternal).toHaveBeenCalledWith({ url: 'https://a.example/' }, good)
  })

  it.each([
    ['a webContents we did not create', { ...good, webContentsId: 8 }],
    ['a sub-frame', { ...good, isMainFrame: false }],
    ['a page of another origin', { ...good, frameUrl: 'https://evil.example/' }],
    ['a file:// page', { ...good, frameUrl: 'file:///tmp/x.html' }],
    ['a destroyed frame', { ...good, frameUrl: null }],
  ])('refuses %s', async (_what, sender) => {
    const { r, openExternal, refused } = router()
    await expect(
      r.invoke('shell/openExternal', sender, { url: 'https://a.example/' }),
    ).rejects.toBeInstanceOf(IpcRefusedError)
    expect(openExternal).not.toHaveBeenCalled()
    expect(refused).toHaveLength(1)
  })

  it('refuses unknown channels, unhandled ones and invalid payloads', async () => {
    const { r } = router()
    await expect(r.invoke('__proto__', good, {})).rejects.toThrow(/unknown channel/)
    await expect(r.invoke('engine/connect', good, {})).rejects.toThrow(/unknown channel/)
    await expect(r.invoke('shell/openExternal', good, { url: 42 })).rejects.toThrow(
      /invalid payload/,
    )
    await expect(
      r.invoke('shell/openExternal', good, { url: 'https://a/', extra: 1 }),
    ).rejects.toThrow(/invalid payload/)
    await expect(r.invoke('window/setPlaylist', good, { playlistId: '../../x' })).rejects.toThrow(
      /invalid payload/,
    )
    await expect(r.invoke('window/setPlaylist', good, { playlistId: null })).resolves.toBe('ok')
  })
})

import { describe, expect, it } from 'vitest'
import { arrivals, shownPlaylist } from './desktop-glue'

describe('desktop glue', () => {
  it('reads the shown playlist from the location', () => {
    expect(shownPlaylist('#/playlist/abc_DEF-1')).toBe('abc_DEF-1')
    expect(shownPlaylist('#/')).toBeNull()
    expect(shownPlaylist('#/playlist/../x')).toBeNull()
  })

  it('names only the collaborators who just arrived', () => {
    const ada = { peerId: 'a', name: 'Ada' }
    const bo = { peerId: 'b', name: ' ' }
    expect(arrivals({}, { p1: { peers: [ada] } })).toEqual([{ playlistId: 'p1', name: 'Ada' }])
    expect(arrivals({ p1: { peers: [ada] } }, { p1: { peers: [ada, bo] } })).toEqual([
      { playlistId: 'p1', name: 'Someone' },
    ])
    expect(arrivals({ p1: { peers: [ada, bo] } }, { p1: { peers: [ada] } })).toEqual([])
  })
})

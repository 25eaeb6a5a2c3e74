/** Saved friends over a real relay: reached when both are online, shown offline after. */
import { afterEach, describe, expect, it } from 'vitest'
import { watchFriends, reachableRelays } from './friends.ts'
import { createNode } from './node.ts'
import { createRelay } from './relay/relay.ts'
import { until } from './test-support/memory.ts'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined)
})

describe('friends', () => {
  it('dials a saved friend through the relay and follows their status', async () => {
    const relay = await createRelay({ port: 0 })
    cleanups.push(() => relay.stop())
    const relays = relay.multiaddrs()
    const [me, friend] = await Promise.all([
      createNode({ relays, listen: [] }),
      createNode({ relays, listen: [] }),
    ])
    cleanups.push(async () => {
      await me.stop()
      await friend.stop()
    })
    await until(() => reachableRelays(friend).length === 1, 5000, 'reservation')
    expect(reachableRelays(friend)).toEqual(relays)

    let changes = 0
    const stranger = '12D3KooWJdR3De589pE2Bpu4dFTu6RBufJssHWxbdne4r1K7vhf9'
    const watch = watchFriends({
      node: me,
      relays: () => relays,
      friends: () => [friend.peerId.toString(), stranger],
      onChange: () => changes++,
      intervalMs: 100,
      dialTimeoutMs: 2000,
    })
    cleanups.push(async () => watch.stop())
    await until(() => watch.status()[friend.peerId.toString()]?.online === true, 8000, 'online')
    expect(watch.status()[stranger]).toEqual({ peerId: stranger, online: false })
    expect(changes).toBeGreaterThan(0)

    await friend.stop()
    await until(() => watch.status()[friend.peerId.toString()]?.online === false, 8000, 'offline')
  })
})

import { describe, expect, it } from 'vitest'
import { UtilitySupervisor, type ChildLike } from './utility-supervisor.ts'

function setup() {
  let now = 0
  const children: (ChildLike & {
    exit(code: number | null): void
    messages: unknown[]
    killed: boolean
  })[] = []
  const timers: { fn: () => void; ms: number }[] = []
  const supervisor = new UtilitySupervisor(
    {
      spawn() {
        let onExit: (code: number | null) => void = () => {}
        const child = {
          pid: children.length + 100,
          messages: [] as unknown[],
          killed: false,
          postMessage(m: unknown) {
            child.messages.push(m)
          },
          onExit(l: (code: number | null) => void) {
            onExit = l
          },
          kill() {
            child.killed = true
          },
          exit: (code: number | null) => onExit(code),
        }
        children.push(child)
        return child
      },
      setTimeout: (fn, ms) => timers.push({ fn, ms }),
      clearTimeout: () => {},
      now: () => now,
    },
    { initMessage: { type: 'init' } },
  )
  return { supervisor, children, timers, advance: (ms: number) => (now += ms) }
}

describe('UtilitySupervisor', () => {
  it('sends the init message and restarts at once after a crash, announcing it', () => {
    const { supervisor, children, timers, advance } = setup()
    const started: boolean[] = []
    supervisor.onStarted((_c, restart) => started.push(restart))
    supervisor.start()
    expect(children[0]!.messages).toEqual([{ type: 'init' }])
    advance(60_000)
    children[0]!.exit(null)
    expect(supervisor.current()).toBeNull()
    expect(timers.map((t) => t.ms)).toEqual([0])
    timers.shift()!.fn()
    expect(children).toHaveLength(2)
    expect(children[1]!.messages).toEqual([{ type: 'init' }])
    expect(started).toEqual([false, true])
  })

  it('backs off for a crash loop but never waits longer than a second', () => {
    const { supervisor, children, timers } = setup()
    supervisor.start()
    const delays: number[] = []
    for (let i = 0; i < 6; i++) {
      children.at(-1)!.exit(1)
      const t = timers.shift()!
      delays.push(t.ms)
      t.fn()
    }
    expect(delays).toEqual([0, 250, 500, 1000, 1000, 1000])
  })

  it('relaunches with a new init message, at once, without counting a crash', () => {
    const { supervisor, children, timers, advance } = setup()
    const started: boolean[] = []
    supervisor.onStarted((_c, restart) => started.push(restart))
    supervisor.start()
    // Two quick crashes first: a crash loop would now back off.
    for (let i = 0; i < 2; i++) {
      advance(10)
      children.at(-1)!.exit(1)
      timers.shift()!.fn()
    }
    supervisor.relaunch({ type: 'init', libraryDir: '/new' })
    const old = children.at(-1)!
    expect(old.messages.at(-1)).toEqual({ type: 'shutdown' })
    const grace = timers.shift()!
    expect(grace.ms).toBe(5000)
    old.exit(0)
    expect(timers.map((t) => t.ms)).toEqual([0]) // no backoff: it was asked to exit
    timers.shift()!.fn()
    expect(children.at(-1)!.messages).toEqual([{ type: 'init', libraryDir: '/new' }])
    grace.fn() // the grace timer fires late: the new process is left alone
    expect(children.at(-1)!.killed).toBe(false)
    expect(started.at(-1)).toBe(true)
  })

  it('kills a process that does not shut down for a relaunch within the grace time', () => {
    const { supervisor, children, timers } = setup()
    supervisor.start()
    supervisor.relaunch({ type: 'init', libraryDir: '/other' }, 100)
    timers.shift()!.fn()
    expect(children[0]!.killed).toBe(true)
  })

  it('does not restart after stop (app quit)', () => {
    const { supervisor, children, timers } = setup()
    supervisor.start()
    supervisor.stop()
    expect(children[0]!.killed).toBe(true)
    children[0]!.exit(0)
    expect(timers).toEqual([])
  })
})

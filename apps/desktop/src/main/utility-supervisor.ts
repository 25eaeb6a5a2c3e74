/**
 * Keeps the engine's utility process running: starts it, restarts it within a second
 * when it dies (immediately the first time, backing off to 1 s if it keeps crashing, so
 * a crash loop does not spin), and tells main to hand every window a new port. Edits are
 * durable before the engine acknowledges them, so a restart loses none; windows show a
 * brief reconnecting state. Pure: `spawn` is `utilityProcess.fork` in the app and
 * `child_process.fork` (with the parent-port shim) in tests.
 */

/** The slice of a utility process (or forked child) the supervisor uses. */
export interface ChildLike {
  readonly pid: number | undefined
  postMessage(message: unknown, transfer?: unknown[]): void
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

/** What the supervisor needs. */
export interface SupervisorComponents {
  spawn(): ChildLike
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  now(): number
  log?(message: string, data?: Record<string, unknown>): void
}

/** Options. */
export interface SupervisorInit {
  /** Sent to each new process first (library folder, data folder…). */
  initMessage: unknown
  /** Longest wait before a restart. Default 1000 ms. */
  maxRestartDelayMs?: number
  /** A process that lived this long resets the back-off. Default 10 s. */
  stableAfterMs?: number
}

/** Supervises one utility process. */
export class UtilitySupervisor {
  private child: ChildLike | null = null
  private startedAt = 0
  private crashes = 0
  private stopped = false
  private timer: unknown = null
  /** The process asked to exit for a relaunch: not a crash. */
  private relaunching: ChildLike | null = null
  private readonly listeners = new Set<(child: ChildLike, restart: boolean) => void>()

  constructor(
    private readonly components: SupervisorComponents,
    private init: SupervisorInit,
  ) {}

  /**
   * Restarts the process with a new init message (e.g. another library folder): the
   * running one is asked to shut down (it flushes and exits), killed if it has not after
   * `graceMs`, and the next one starts at once with `initMessage`. Windows get new ports
   * through `onStarted`, as after a crash.
   */
  relaunch(initMessage: unknown, graceMs = 5000): void {
    this.init = { ...this.init, initMessage }
    const child = this.child
    if (!child) return // a restart is pending; it sends the new message
    this.relaunching = child
    child.postMessage({ type: 'shutdown' })
    // Harmless once it exited: by then `child` is no longer the current one.
    this.components.setTimeout(() => {
      if (this.child === child) child.kill()
    }, graceMs)
  }

  /** Starts the process. */
  start(): ChildLike {
    return this.launch(false)
  }

  /** The running process (null between a crash and the restart). */
  current(): ChildLike | null {
    return this.child
  }

  /** Each (re)start, after the init message was sent: hand ports to windows here. */
  onStarted(listener: (child: ChildLike, restart: boolean) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Stops supervising and ends the process (app quit). */
  stop(): void {
    this.stopped = true
    if (this.timer !== null) this.components.clearTimeout(this.timer)
    this.child?.kill()
    this.child = null
  }

  /** How long the next restart waits: 0, then 250, 500, 1000 ms for a crash loop. */
  nextDelay(): number {
    const max = this.init.maxRestartDelayMs ?? 1000
    return this.crashes <= 1 ? 0 : Math.min(max, 125 * 2 ** (this.crashes - 1))
  }

  private launch(restart: boolean): ChildLike {
    const child = this.components.spawn()
    this.child = child
    this.startedAt = this.components.now()
    child.onExit((code) => {
      if (this.child !== child) return
      this.child = null
      if (this.stopped) return
      const lived = this.components.now() - this.startedAt
      const asked = this.relaunching === child
      this.relaunching = null
      if (asked) this.crashes = 0
      else this.crashes = lived >= (this.init.stableAfterMs ?? 10_000) ? 1 : this.crashes + 1
      const delay = asked ? 0 : this.nextDelay()
      this.components.log?.('engine process exited; restarting', { code, lived, delay })
      this.timer = this.components.setTimeout(() => {
        this.timer = null
        if (!this.stopped) this.launch(true)
      }, delay)
    })
    child.postMessage(this.init.initMessage)
    for (const l of this.listeners) l(child, restart)
    return child
  }
}

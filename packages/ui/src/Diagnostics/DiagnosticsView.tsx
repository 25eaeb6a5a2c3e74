/**
 * Diagnostics: live figures of the bus and of both sides of it (this page and its engine
 * worker) — per-channel calls, errors, latency percentiles, bytes and batching; heap and
 * its trend, long tasks, event-loop lag, warnings; recent log lines from every context —
 * and "Export diagnostics", a JSON bundle without user data or secrets.
 */
import {
  buildDiagnosticsBundle,
  serializeDiagnosticsBundle,
  type ChannelSnapshot,
  type LogEntry,
  type LogRing,
  type MetricsSnapshot,
  type MonitorSnapshot,
  type PerformanceMonitor,
} from '@whatnext/core/client'
import { useEffect, useState } from 'react'
import { Dialog } from '../Dialog/Dialog'
import { useEngine } from '../EngineProvider/EngineProvider'
import { download, errorMessage, formatCount } from '../util'

/** What the host gives the diagnostics view. */
export interface DiagnosticsSource {
  /** The log of every context (this page's and, forwarded, the engine's). */
  ring: LogRing
  /** This page's performance monitor. */
  monitor: PerformanceMonitor
  app: { name: string; version: string }
  versions?: Record<string, string>
  environment?: Record<string, string | number | boolean>
}

/** Props of {@link DiagnosticsView}. */
export interface DiagnosticsViewProps {
  source: DiagnosticsSource
  onClose(): void
  /** Refresh period (default 1 s). */
  intervalMs?: number
}

interface Figures {
  page: MetricsSnapshot
  pageMonitor: MonitorSnapshot
  engine: MetricsSnapshot | null
  engineMonitor: MonitorSnapshot | null
  logs: LogEntry[]
  error: string | null
}

const MB = 1024 * 1024

/** The diagnostics dialog. */
export function DiagnosticsView({ source, onClose, intervalMs = 1000 }: DiagnosticsViewProps) {
  const client = useEngine()
  const [figures, setFigures] = useState<Figures | null>(null)

  useEffect(() => {
    let live = true
    let controller: AbortController | null = null
    const refresh = async () => {
      controller?.abort()
      const mine = (controller = new AbortController())
      const local = {
        page: client.metrics(),
        pageMonitor: source.monitor.snapshot(),
        logs: source.ring.entries().slice(-40).reverse(),
      }
      try {
        const remote = await client.request('diagnostics/snapshot', {}, { signal: mine.signal })
        if (live)
          setFigures({
            ...local,
            engine: remote.metrics,
            engineMonitor: remote.monitor,
            error: null,
          })
      } catch (error) {
        if (live && !mine.signal.aborted)
          setFigures({ ...local, engine: null, engineMonitor: null, error: errorMessage(error) })
      }
    }
    void refresh()
    const timer = setInterval(() => void refresh(), intervalMs)
    return () => {
      live = false
      clearInterval(timer)
      controller?.abort()
    }
  }, [client, source, intervalMs])

  const exportBundle = () => {
    const bundle = buildDiagnosticsBundle({
      app: source.app,
      versions: source.versions,
      environment: source.environment,
      metrics: [figures?.page ?? client.metrics(), ...(figures?.engine ? [figures.engine] : [])],
      monitor: source.monitor.snapshot(),
      logs: source.ring.entries(),
      at: Date.now(),
    })
    const stamp = new Date().toISOString().replace(/[:.]/g, '-')
    download(
      `whatnext-diagnostics-${stamp}.json`,
      'application/json',
      serializeDiagnosticsBundle(bundle),
    )
  }

  return (
    <Dialog title="Diagnostics" onClose={onClose}>
      <div className="diagnostics">
        {!figures ? (
          <p className="muted">Collecting figures…</p>
        ) : (
          <>
            <dl className="diag-cards" aria-label="Health">
              <Card label="Page heap" value={heap(figures.pageMonitor)} />
              <Card
                label="Engine heap"
                value={figures.engineMonitor ? heap(figures.engineMonitor) : '—'}
              />
              <Card
                label="Long tasks (page)"
                value={`${formatCount(figures.pageMonitor.longTasks.count)}, longest ${Math.round(figures.pageMonitor.longTasks.longestMs)} ms`}
              />
              <Card
                label="Event-loop lag (page, p95)"
                value={`${Math.round(figures.pageMonitor.lag.p95Ms)} ms`}
              />
              <Card label="Calls waiting" value={formatCount(figures.page.pendingRequests)} />
            </dl>
            {figures.error && (
              <p role="alert" className="field-error">
                The engine did not answer: {figures.error}
              </p>
            )}
            <ChannelTable
              caption="Requests and events from this page"
              channels={figures.page.channels}
              side="caller"
            />
            {figures.engine && (
              <ChannelTable
                caption="Handled by the engine"
                channels={figures.engine.channels}
                side="handler"
              />
            )}
            <Warnings
              warnings={[
                ...figures.pageMonitor.warnings,
                ...(figures.engineMonitor?.warnings ?? []),
              ]}
            />
            <section aria-labelledby="diag-logs">
              <h3 id="diag-logs">Recent log</h3>
              <ol className="diag-logs" aria-label="Recent log">
                {figures.logs.map((entry, i) => (
                  <li key={`${entry.at}-${i}`} className={`log-${entry.level}`}>
                    <time>{new Date(entry.at).toLocaleTimeString('en')}</time>{' '}
                    <span className="log-level">{entry.level}</span> [{entry.context}]{' '}
                    {entry.message}
                  </li>
                ))}
              </ol>
            </section>
          </>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={exportBundle}>
            Export diagnostics
          </button>
          <button type="button" className="primary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  )
}

function Card({ label, value }: { label: string; value: string }) {
  return (
    <div className="diag-card">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  )
}

function heap(m: MonitorSnapshot): string {
  if (m.heap.usedBytes === null) return 'not reported'
  return `${(m.heap.usedBytes / MB).toFixed(1)} MB, ${m.heap.trend}`
}

const ms = (v: number | undefined) => (v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(0))
const kb = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`)

function ChannelTable({
  caption,
  channels,
  side,
}: {
  caption: string
  channels: readonly ChannelSnapshot[]
  side: 'caller' | 'handler'
}) {
  const active = channels
    .filter((c) => c.sent + c.received > 0)
    .sort((a, b) => b.sent + b.received - (a.sent + a.received))
  return (
    <table className="diag-table" aria-label={caption}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Channel</th>
          <th scope="col">Count</th>
          <th scope="col">Errors</th>
          <th scope="col">p50 ms</th>
          <th scope="col">p95 ms</th>
          <th scope="col">p99 ms</th>
          <th scope="col">In</th>
          <th scope="col">Out</th>
          <th scope="col">Batch</th>
        </tr>
      </thead>
      <tbody>
        {active.length === 0 ? (
          <tr>
            <td colSpan={9} className="muted">
              No traffic yet.
            </td>
          </tr>
        ) : (
          active.map((c) => {
            const latency = side === 'caller' ? c.latency : c.handlerLatency
            return (
              <tr key={c.channel}>
                <th scope="row">
                  <code>{c.channel}</code>
                </th>
                <td>
                  {formatCount(side === 'caller' ? c.sent || c.received : c.received || c.sent)}
                </td>
                <td>{formatCount(c.errors + c.rejected)}</td>
                <td>{ms(latency?.p50)}</td>
                <td>{ms(latency?.p95)}</td>
                <td>{ms(latency?.p99)}</td>
                <td>{kb(c.bytesIn)}</td>
                <td>{kb(c.bytesOut)}</td>
                <td>{c.events > 0 ? `${c.batchRatio.toFixed(1)}×` : '—'}</td>
              </tr>
            )
          })
        )}
      </tbody>
    </table>
  )
}

function Warnings({ warnings }: { warnings: MonitorSnapshot['warnings'] }) {
  if (warnings.length === 0) return null
  return (
    <section aria-labelledby="diag-warnings">
      <h3 id="diag-warnings">Warnings</h3>
      <ul>
        {warnings.slice(-10).map((w, i) => (
          <li key={`${w.at}-${i}`}>
            {new Date(w.at).toLocaleTimeString('en')} — {w.message}
          </li>
        ))}
      </ul>
    </section>
  )
}

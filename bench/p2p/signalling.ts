/**
 * A y-webrtc signalling server on 127.0.0.1: the protocol of `y-webrtc/bin/server.js`
 * (subscribe / unsubscribe / publish to topics / ping), which listens on every interface
 * and a fixed port, rewritten with `ws` to bind loopback on a free port.
 */
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

interface Message {
  type?: unknown
  topics?: unknown
  topic?: unknown
  clients?: number
}

export async function startSignalling(): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve)
    wss.once('error', reject)
  })
  const topics = new Map<string, Set<WebSocket>>()
  const send = (conn: WebSocket, message: unknown) => {
    if (conn.readyState !== conn.OPEN) return
    conn.send(JSON.stringify(message))
  }
  wss.on('connection', (conn) => {
    const subscribed = new Set<string>()
    conn.on('close', () => {
      for (const name of subscribed) {
        const subs = topics.get(name)
        subs?.delete(conn)
        if (subs?.size === 0) topics.delete(name)
      }
      subscribed.clear()
    })
    conn.on('message', (data) => {
      let message: Message
      try {
        message = JSON.parse(String(data)) as Message
      } catch {
        return
      }
      switch (message.type) {
        case 'subscribe':
          for (const name of Array.isArray(message.topics) ? message.topics : []) {
            if (typeof name !== 'string') continue
            let subs = topics.get(name)
            if (!subs) topics.set(name, (subs = new Set()))
            subs.add(conn)
            subscribed.add(name)
          }
          break
        case 'unsubscribe':
          for (const name of Array.isArray(message.topics) ? message.topics : []) {
            if (typeof name === 'string') topics.get(name)?.delete(conn)
          }
          break
        case 'publish':
          if (typeof message.topic === 'string') {
            const receivers = topics.get(message.topic)
            if (receivers) {
              message.clients = receivers.size
              for (const receiver of receivers) send(receiver, message)
            }
          }
          break
        case 'ping':
          send(conn, { type: 'pong' })
      }
    })
  })
  const { port } = wss.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  }
}

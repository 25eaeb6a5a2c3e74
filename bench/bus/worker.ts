/** Bench worker: answers `playlist/updateTrack` with `{ ok: true }` in the mode of its URL. */
import {
  createEndpoint,
  messagePortTransport,
  systemClock,
  type MessagePortLike,
} from '@whatnext/core/client'
import { expose } from 'comlink'
import { CHANNEL, OK, passthroughContract, validatedContract, type ComlinkApi } from './shared.ts'

const scope = globalThis as unknown as MessagePortLike
const mode = new URL(globalThis.location.href).searchParams.get('mode')
const clock = systemClock(globalThis)

if (mode === 'bus') {
  const endpoint = createEndpoint(validatedContract, {
    transport: messagePortTransport(scope),
    clock,
  })
  endpoint.handle(CHANNEL, () => OK)
} else if (mode === 'bus-novalidate') {
  const endpoint = createEndpoint(passthroughContract, {
    transport: messagePortTransport(scope),
    clock,
  })
  endpoint.handle(CHANNEL, () => OK)
} else if (mode === 'comlink') {
  const api: ComlinkApi = { updateTrack: () => OK }
  expose(api)
} else if (mode === 'raw') {
  scope.addEventListener('message', (event) => {
    const { id } = event.data as { id: number }
    scope.postMessage({ id, v: OK })
  })
} else {
  throw new Error(`unknown bench mode ${mode}`)
}

/** Batch bench worker: emits bursts of stamped events on request. */
import {
  createEndpoint,
  messagePortTransport,
  systemClock,
  type MessagePortLike,
} from '@whatnext/core/client'
import { absoluteNow, batchContract } from './shared.ts'

const endpoint = createEndpoint(
  batchContract,
  {
    transport: messagePortTransport(globalThis as unknown as MessagePortLike),
    clock: systemClock(globalThis),
  },
  { name: 'batch-worker' },
)
endpoint.handle('bench/burst', ({ count, batched }) => {
  for (let n = 0; n < count; n++)
    endpoint.emit(batched ? 'sync/updated' : 'sync/unbatched', { n, t: absoluteNow() })
  return { ok: true as const }
})

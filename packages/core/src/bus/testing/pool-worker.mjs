// worker_threads entry for the worker pool tests: tasks that succeed, crash, hang, or
// answer and then wedge the thread.
import { parentPort, threadId } from 'node:worker_threads'
import { servePoolWorker } from '../pool.ts'
import { nodePortTransport } from '../transport.ts'
import { systemClock } from '../../ports.ts'
import { poolContract } from './pool-contract.ts'

servePoolWorker(
  poolContract,
  nodePortTransport(parentPort),
  {
    'task/echo': ({ text }) => ({ text, thread: threadId }),
    'task/crash': () => process.exit(3),
    'task/hang': () => {
      for (;;);
    },
    'task/wedge': () => {
      // Answer first, then block the thread for good: later pings go unanswered.
      globalThis.queueMicrotask(() => {
        for (;;);
      })
      return { text: 'wedged', thread: threadId }
    },
  },
  { clock: systemClock(globalThis) },
)

/** Contract of the worker pool tests' worker (`pool-worker.mjs`). */
import * as z from 'zod/mini'
import { defineContract, request } from '../contract.ts'

const Answer = z.object({ text: z.string(), thread: z.number() })

/** Tasks that succeed, crash, hang, or answer and then wedge their thread. */
export const poolContract = defineContract({
  'task/echo': request(z.object({ text: z.string() }), Answer),
  'task/crash': request(z.object({}), Answer),
  'task/hang': request(z.object({}), Answer),
  'task/wedge': request(z.object({}), Answer),
})

/**
 * zod/mini (the page's schemas: a fraction of classic zod's code, and cheaper to build
 * while the app starts) loads no locale: a check without a message of ours says only
 * "Invalid input". Where users' data is checked and refused — the engine, the settings
 * store — this turns on zod's English messages, so the page does not carry them.
 */
import { en } from 'zod/locales'
import * as z from 'zod/mini'

let configured = false

/** Turns on zod's English messages in this context (once; later calls do nothing). */
export function englishValidationMessages(): void {
  if (configured) return
  configured = true
  z.config(en())
}

import type { Logger } from '@whatnext/core/client'

/** A console logger that tags every line with its context (page, worker). */
export function consoleLogger(context: string): Logger {
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, data?: Record<string, unknown>) =>
      console[level](`[${context}] ${message}`, data ?? '')
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') }
}

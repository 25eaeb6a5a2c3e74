/** Playlist-file imports: one after another, each with live progress from the engine. */
import { LIMITS, PayloadTooLargeError } from '@whatnext/core/client'
import type { EngineContract, ResponseOf } from '@whatnext/core/client'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useEngine } from '../EngineProvider/EngineProvider'

/** An import waiting or under way. */
export interface ImportJob {
  id: string
  fileName: string
  /** 0…1, from `import/progressed`. */
  fraction: number
}

/** What an import produced. */
export type ImportOutcome = ResponseOf<EngineContract, 'import/file'>

/** Callbacks of {@link useImports}. */
export interface ImportCallbacks {
  onImported(file: File, result: ImportOutcome): void
  onFailed(file: File, error: unknown): void
}

let counter = 0

/**
 * Imports files through `import/file`, one at a time in the order given (so the engine
 * never parses two large files at once), each file's bytes transferred rather than
 * copied. Returns the jobs (for progress bars) and the function that queues files.
 */
export function useImports(callbacks: ImportCallbacks): {
  jobs: ImportJob[]
  importFiles(files: readonly File[]): void
} {
  const client = useEngine()
  const [jobs, setJobs] = useState<ImportJob[]>([])
  const queue = useRef<Promise<void>>(Promise.resolve())
  const latest = useRef(callbacks)
  latest.current = callbacks

  useEffect(
    () =>
      client.on('import/progressed', (p) =>
        setJobs((list) =>
          list.map((j) =>
            j.id === p.importId && p.fraction > j.fraction ? { ...j, fraction: p.fraction } : j,
          ),
        ),
      ),
    [client],
  )

  const importFiles = useCallback(
    (files: readonly File[]) => {
      for (const file of files) {
        const id = `import-${Date.now().toString(36)}-${++counter}`
        setJobs((list) => [...list, { id, fileName: file.name, fraction: 0 }])
        queue.current = queue.current.then(async () => {
          try {
            // Refused before a byte is read: a huge file never reaches memory or the engine.
            if (file.size > LIMITS.importBytes) {
              throw new PayloadTooLargeError(
                `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the import limit is ${LIMITS.importBytes / 1048576} MB`,
                { fileName: file.name, limitBytes: LIMITS.importBytes },
              )
            }
            const buffer = await file.arrayBuffer()
            const result = await client.request(
              'import/file',
              { fileName: file.name, bytes: new Uint8Array(buffer), importId: id },
              { transfer: [buffer] },
            )
            latest.current.onImported(file, result)
          } catch (error) {
            latest.current.onFailed(file, error)
          } finally {
            setJobs((list) => list.filter((j) => j.id !== id))
          }
        })
      }
    },
    [client],
  )
  return { jobs, importFiles }
}

/**
 * Files the OS opens with the installed app (manifest `file_handlers`) arrive through
 * `window.launchQueue` (Chromium). Other browsers simply never call the handler.
 */
interface LaunchParams {
  files: readonly { getFile(): Promise<File> }[]
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void
}

/** Calls `handler` with the files of every launch. */
export function subscribeLaunchFiles(handler: (files: File[]) => void): () => void {
  const queue = (window as unknown as { launchQueue?: LaunchQueue }).launchQueue
  let active = true
  queue?.setConsumer((params) => {
    if (!active || params.files.length === 0) return
    void Promise.all(params.files.map((f) => f.getFile())).then((files) => active && handler(files))
  })
  return () => {
    active = false
  }
}

/** Whether undo and redo are possible, live. */
import type { HistoryState } from '@whatnext/core/client'
import { useEffect, useState } from 'react'
import { useEngine } from '../EngineProvider/EngineProvider'

/** `canUndo`/`canRedo` from `history/state`, then kept current by `history/changed`. */
export function useHistory(): HistoryState {
  const client = useEngine()
  const [state, setState] = useState<HistoryState>({ canUndo: false, canRedo: false })
  useEffect(() => {
    let live = true
    let heard = false
    const off = client.on('history/changed', (s) => {
      heard = true
      setState(s)
    })
    // An event that arrives first is newer than the answer to this request.
    client.request('history/state', {}).then(
      (s) => live && !heard && setState(s),
      () => undefined,
    )
    return () => {
      live = false
      off()
    }
  }, [client])
  return state
}

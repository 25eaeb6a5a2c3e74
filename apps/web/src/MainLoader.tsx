import { useEffect, useState, type ComponentType } from 'react'
import { Boot } from './Boot'

/** Resolves after the browser has painted the current frame (or at once where it cannot). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame !== 'function' || document.visibilityState === 'hidden')
      return resolve()
    // rAF runs just before the frame is painted; a task queued from it runs after.
    requestAnimationFrame(() => setTimeout(resolve, 0))
  })
}

/**
 * The app, loaded once the static shell is on screen: the first scripts are React and
 * Next alone, so the browser paints and hydrates the shell (a tiny tree) before it
 * fetches and evaluates the engine client, the bus's schemas and the UI. Evaluating all
 * of that with the shell made one long main-thread block, and a first paint that could
 * wait for scripts the shell does not need.
 */
export function MainLoader() {
  const [main, setMain] = useState<{ Main: ComponentType } | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    afterPaint()
      .then(() => import(/* webpackChunkName: "whatnext-app" */ './Main'))
      .then(
        ({ Main }) => live && setMain({ Main }),
        (error: unknown) => live && setFailure(`WhatNext could not load: ${String(error)}`),
      )
    return () => {
      live = false
    }
  }, [])
  return main ? <main.Main /> : <Boot failure={failure} />
}

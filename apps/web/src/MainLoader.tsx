import { useEffect, useState, type ComponentType } from 'react'
import { Boot } from './Boot'

/**
 * The app, loaded after the static shell has hydrated: the first scripts are React and
 * Next alone (and they start only once the shell has painted; see
 * src/build/hold-scripts.ts), so hydrating the shell is a small task and the engine
 * client, the bus's schemas and the UI are fetched and evaluated in tasks of their own.
 * Evaluating all of that with the shell made one long main-thread block.
 */
export function MainLoader() {
  const [main, setMain] = useState<{ Main: ComponentType } | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    import(/* webpackChunkName: "whatnext-app" */ './Main').then(
      ({ Main }) => live && setMain({ Main }),
      (error: unknown) => live && setFailure(`WhatNext could not load: ${String(error)}`),
    )
    return () => {
      live = false
    }
  }, [])
  return main ? <main.Main /> : <Boot failure={failure} />
}

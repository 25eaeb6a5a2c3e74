/** The engine's bus client in React context. */
import type { Endpoint, EngineContract } from '@whatnext/core/client'
import { createContext, useContext, type ReactNode } from 'react'

/** The typed client of the engine (the host creates it over a Web Worker or a port). */
export type EngineClient = Endpoint<EngineContract>

const EngineContext = createContext<EngineClient | null>(null)

/** Props of {@link EngineProvider}. */
export interface EngineProviderProps {
  client: EngineClient
  children: ReactNode
}

/** Provides the engine client to every hook below it. */
export function EngineProvider({ client, children }: EngineProviderProps) {
  return <EngineContext.Provider value={client}>{children}</EngineContext.Provider>
}

/** The engine client; throws outside an {@link EngineProvider}. */
export function useEngine(): EngineClient {
  const client = useContext(EngineContext)
  if (!client) throw new Error('useEngine needs an <EngineProvider>')
  return client
}

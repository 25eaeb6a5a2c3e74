import { settingsBackendSuite } from './test-support/compliance.ts'
import { MemorySettingsBackend, MemorySettingsCell } from './memory-backend.ts'
import { remoteSettingsBackend, settingsHub } from './remote-backend.ts'

settingsBackendSuite('memory', {
  async place() {
    const cell = new MemorySettingsCell()
    return {
      open: async () => new MemorySettingsBackend(cell),
      raw: async () => JSON.stringify([cell.state, [...cell.backups]]),
    }
  },
})

// Desktop windows: every context reaches one backend in another process through the hub.
settingsBackendSuite('remote (hub over memory, as desktop windows use the utility process)', {
  async place() {
    const cell = new MemorySettingsCell()
    const hub = settingsHub(new MemorySettingsBackend(cell))
    return {
      open: async () => remoteSettingsBackend(hub.connect()),
      raw: async () => JSON.stringify([cell.state, [...cell.backups]]),
    }
  },
})

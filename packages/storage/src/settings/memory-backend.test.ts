import { settingsBackendSuite } from './test-support/compliance.ts'
import { MemorySettingsBackend, MemorySettingsCell } from './memory-backend.ts'

settingsBackendSuite('memory', {
  async place() {
    const cell = new MemorySettingsCell()
    return {
      open: async () => new MemorySettingsBackend(cell),
      raw: async () => JSON.stringify([cell.state, [...cell.backups]]),
    }
  },
})

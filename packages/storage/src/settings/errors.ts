/** Errors of the settings store beyond core's hierarchy. */
import { AppError } from '@whatnext/core/errors'

/**
 * A migration step failed (threw, or produced data the schema refuses). The store restored
 * the pre-migration backup and runs on the old data; `details` say which step and why.
 */
export class MigrationError extends AppError {
  override readonly name = 'MigrationError'
  override readonly code = 'MIGRATION_FAILED'
  constructor(
    message: string,
    details: { from: number; to: number; step: number; reason: string; backup: string },
  ) {
    super(message, details)
  }
}

/**
 * One error hierarchy for every boundary. Each class has a stable `name` and `code`
 * (persisted in logs and carried across `postMessage`), a `retryable` flag, and
 * JSON-safe `details`. `serializeError` / `deserializeError` turn them into plain data
 * and back, so a worker's `NotFoundError` is a `NotFoundError` in the page too.
 */

/** A field-level problem, as shown next to the form field it names. */
export interface FieldIssue {
  /** Dot-joined path of the offending field, e.g. `tracks.3.title`. */
  path: string
  message: string
}

/** Plain-data form of an {@link AppError}, safe to send over any boundary. */
export interface SerializedError {
  name: string
  code: string
  message: string
  retryable: boolean
  details?: Record<string, unknown>
  stack?: string
}

/** Base of every error the app raises on purpose. */
export class AppError extends Error {
  override readonly name: string = 'AppError'
  readonly code: string = 'APP_ERROR'
  readonly retryable: boolean = false
  readonly details: Record<string, unknown> | undefined

  constructor(message: string, details?: Record<string, unknown>) {
    super(message)
    this.details = details
  }
}

/** Input failed validation; `issues` says which fields and why. */
export class ValidationError extends AppError {
  override readonly name = 'ValidationError'
  override readonly code = 'VALIDATION_FAILED'
  get issues(): FieldIssue[] {
    return (this.details?.issues as FieldIssue[] | undefined) ?? []
  }
  constructor(message: string, issues: FieldIssue[] = []) {
    super(message, { issues })
  }
}

/** A request got no answer in time. */
export class TimeoutError extends AppError {
  override readonly name = 'TimeoutError'
  override readonly code = 'TIMEOUT'
  override readonly retryable = true
}

/** The caller (or the other side) cancelled the operation. */
export class CancelledError extends AppError {
  override readonly name = 'CancelledError'
  override readonly code = 'CANCELLED'
}

/** Too many requests; try again after `retryAfterMs` (in `details`). */
export class RateLimitedError extends AppError {
  override readonly name = 'RateLimitedError'
  override readonly code = 'RATE_LIMITED'
  override readonly retryable = true
  /** How long the caller should wait before trying again; 0 when unknown. */
  get retryAfterMs(): number {
    const value = this.details?.retryAfterMs
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0
  }
}

/** The thing asked for does not exist (or no longer does). */
export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError'
  override readonly code = 'NOT_FOUND'
}

/** The caller may not do this. */
export class PermissionError extends AppError {
  override readonly name = 'PermissionError'
  override readonly code = 'PERMISSION_DENIED'
}

/** The operation conflicts with the current state. */
export class ConflictError extends AppError {
  override readonly name = 'ConflictError'
  override readonly code = 'CONFLICT'
}

/** A message, file or field is larger than its stated limit. */
export class PayloadTooLargeError extends AppError {
  override readonly name = 'PayloadTooLargeError'
  override readonly code = 'PAYLOAD_TOO_LARGE'
}

/**
 * The other side is gone or not there yet (a crashed worker, a closed port, a peer that
 * never answered the handshake). Retryable: a restarted worker may well succeed.
 */
export class UnavailableError extends AppError {
  override readonly name = 'UnavailableError'
  override readonly code = 'UNAVAILABLE'
  override readonly retryable = true
}

/** Something unexpected failed; the message is safe to show, internals are not included. */
export class InternalError extends AppError {
  override readonly name = 'InternalError'
  override readonly code = 'INTERNAL'
}

/**
 * A playlist file could not be imported. `details.fileName` names the file and,
 * where known, `details.line` (1-based) and `details.column` point at the problem.
 */
export class ImportError extends AppError {
  override readonly name = 'ImportError'
  override readonly code = 'IMPORT_FAILED'
  get fileName(): string {
    return String(this.details?.fileName ?? '')
  }
  get line(): number | undefined {
    return this.details?.line as number | undefined
  }
  constructor(
    message: string,
    details: { fileName: string; line?: number; column?: number; reason?: string },
  ) {
    super(message, details)
  }
}

/** The storage backend failed or is unavailable (quota, blocked, corrupt). */
export class StorageError extends AppError {
  override readonly name = 'StorageError'
  override readonly code = 'STORAGE_FAILED'
}

type AppErrorClass = new (message: string, details?: never) => AppError

// A Map, not an object: names arrive from the wire, and `__proto__` must not resolve.
const registry = new Map<string, AppErrorClass>()
for (const cls of [
  AppError,
  ValidationError,
  TimeoutError,
  CancelledError,
  RateLimitedError,
  NotFoundError,
  PermissionError,
  ConflictError,
  PayloadTooLargeError,
  InternalError,
  UnavailableError,
  ImportError,
  StorageError,
] as unknown as AppErrorClass[]) {
  registry.set(new cls('').name, cls)
}

/**
 * Turns any thrown value into plain data. Non-`AppError`s become `InternalError`
 * without their message or stack unless `includeInternals` (development builds).
 */
export function serializeError(error: unknown, includeInternals = false): SerializedError {
  if (error instanceof AppError) {
    const out: SerializedError = {
      name: error.name,
      code: error.code,
      message: error.message,
      retryable: error.retryable,
    }
    if (error.details) out.details = jsonSafe(error.details) as Record<string, unknown>
    if (includeInternals && error.stack) out.stack = error.stack
    return out
  }
  const out: SerializedError = {
    name: 'InternalError',
    code: 'INTERNAL',
    message: includeInternals && error instanceof Error ? error.message : 'Internal error',
    retryable: false,
  }
  if (includeInternals && error instanceof Error && error.stack) out.stack = error.stack
  return out
}

/** Rebuilds the matching `AppError` subclass from {@link serializeError}'s output. */
export function deserializeError(data: SerializedError): AppError {
  const known = registry.get(data.name)
  const err = new (known ?? AppError)(data.message)
  // Fields are assigned after construction so every subclass round-trips alike.
  const mutable = err as unknown as Record<string, unknown>
  mutable.details = data.details
  if (!known) {
    mutable.name = data.name
    mutable.code = data.code
    mutable.retryable = data.retryable
  }
  mutable.stack = data.stack ?? `${data.name}: ${data.message}`
  return err
}

/** True for any {@link AppError}, including ones rebuilt by {@link deserializeError}. */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError
}

/** Whether retrying the failed operation may help (`retryable` of an `AppError`, else false). */
export function isRetryable(error: unknown): boolean {
  return error instanceof AppError && error.retryable
}

function jsonSafe(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value)) as unknown
  } catch {
    return undefined
  }
}

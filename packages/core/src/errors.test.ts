import { describe, expect, it } from 'vitest'
import {
  ImportError,
  InternalError,
  NotFoundError,
  RateLimitedError,
  ValidationError,
  deserializeError,
  serializeError,
} from './errors.ts'

describe('errors', () => {
  it('round-trips every class with name, code, retryable and details', () => {
    for (const error of [
      new ValidationError('bad', [{ path: 'title', message: 'too long' }]),
      new NotFoundError('gone', { id: 'x' }),
      new RateLimitedError('slow down', { retryAfterMs: 100 }),
      new ImportError('bad file', { fileName: 'a.m3u', line: 3 }),
    ]) {
      const back = deserializeError(structuredClone(serializeError(error)))
      expect(back).toBeInstanceOf(error.constructor)
      expect(back.name).toBe(error.name)
      expect(back.code).toBe(error.code)
      expect(back.retryable).toBe(error.retryable)
      expect(back.details).toEqual(error.details)
      expect(back.message).toBe(error.message)
    }
  })

  it('keeps field issues and file positions readable after a round trip', () => {
    const v = deserializeError(
      serializeError(new ValidationError('bad', [{ path: 'a.b', message: 'm' }])),
    )
    expect((v as ValidationError).issues).toEqual([{ path: 'a.b', message: 'm' }])
    const i = deserializeError(serializeError(new ImportError('x', { fileName: 'f.pls', line: 9 })))
    expect((i as ImportError).fileName).toBe('f.pls')
    expect((i as ImportError).line).toBe(9)
  })

  it('turns foreign exceptions into InternalError without leaking them', () => {
    const data = serializeError(new TypeError('db password is hunter2'))
    expect(data.name).toBe('InternalError')
    expect(data.message).not.toContain('hunter2')
    expect(data.stack).toBeUndefined()
    expect(deserializeError(data)).toBeInstanceOf(InternalError)
  })
})

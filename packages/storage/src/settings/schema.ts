/**
 * What the store needs to know about a zod object schema: which fields are secret, how
 * to validate a whole candidate or just the top-level keys a change touched, and how to
 * turn zod's issues into `FieldIssue`s.
 */
import type { FieldIssue } from '@whatnext/core/errors'
import * as z from 'zod/mini'
import { getAt, isPlainObject, joinPath, type JsonObject, type SettingsChange } from './paths.ts'

/** Any zod object schema: settings are always an object at the root. */
export type SettingsSchema = z.core.$ZodObject

/** Fields registered by {@link secret}. */
const secretFields = z.registry<{ secret: true }>()

/**
 * Marks a string field as secret: encrypted at rest (AES-GCM), and shown as `[secret]` in
 * history, logs and exports. Registering the field in `z.globalRegistry` with
 * `{ secret: true }` works too.
 *
 * @example
 * ```ts
 * const schema = z.object({ relayToken: z.optional(secret(z.string())) })
 * ```
 */
export function secret<T extends z.core.$ZodType<string | undefined>>(schema: T): T {
  secretFields.add(schema, { secret: true })
  return schema
}

interface Def {
  type: string
  innerType?: z.core.$ZodType
  shape?: z.core.$ZodShape
  in?: z.core.$ZodType
  catchall?: z.core.$ZodType
  keyType?: z.core.$ZodType
  valueType?: z.core.$ZodType
  checks?: unknown[]
}

function def(schema: z.core.$ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def
}

function isSecret(schema: z.core.$ZodType): boolean {
  return (
    secretFields.has(schema) ||
    (z.globalRegistry.get(schema) as { secret?: unknown } | undefined)?.secret === true
  )
}

/** Peels optional / nullable / default / readonly / catch wrappers, noting secret marks. */
function unwrap(schema: z.core.$ZodType): { inner: z.core.$ZodType; secret: boolean } {
  let inner = schema
  let marked = isSecret(inner)
  for (;;) {
    const d = def(inner)
    const next = d.innerType ?? (d.type === 'pipe' ? d.in : undefined)
    if (!next) return { inner, secret: marked }
    inner = next
    marked ||= isSecret(inner)
  }
}

/** Dot-path segments of every secret field, found through nested objects. */
export function secretPaths(schema: z.core.$ZodType, prefix: string[] = []): string[][] {
  const { inner, secret: marked } = unwrap(schema)
  if (marked) return [prefix]
  const d = def(inner)
  if (d.type !== 'object' || !d.shape) return []
  return Object.entries(d.shape).flatMap(([key, field]) =>
    secretPaths(field as z.core.$ZodType, [...prefix, key]),
  )
}

/** zod issues as `FieldIssue`s (dot paths). */
export function fieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: joinPath(issue.path.map(String)),
    message: issue.message,
  }))
}

/**
 * Validates settings data. A change that touches only some top-level keys of a schema
 * without object-level checks needs only those fields validated, which keeps a `set` on a
 * large store cheap; anything else validates the whole object.
 */
export class SchemaValidator {
  private readonly schema: SettingsSchema
  private readonly shape: z.core.$ZodShape
  private readonly wholeOnly: boolean
  private readonly open: boolean

  // No parameter properties in this folder: the file backend's child processes run it
  // with Node's type stripping, which supports only erasable syntax.
  constructor(schema: SettingsSchema) {
    this.schema = schema
    const d = def(schema)
    this.shape = d.shape ?? {}
    this.wholeOnly = (d.checks?.length ?? 0) > 0
    this.open = d.catchall !== undefined && def(d.catchall).type !== 'never'
  }

  /**
   * Issues of `candidate` (= `previous` with `changes` applied), or `[]` when valid. A
   * change that sets a value inside an existing object or record, under containers
   * without checks of their own, only needs that value validated; a set on a 1 MB store
   * stays as cheap as on an empty one.
   */
  checkChanges(
    previous: JsonObject,
    candidate: JsonObject,
    changes: readonly SettingsChange[],
  ): FieldIssue[] {
    if (this.wholeOnly) return this.check(candidate)
    const slow = new Set<string>()
    const issues: FieldIssue[] = []
    for (const change of changes) {
      if (change.path.length === 0) return this.check(candidate)
      const leaf =
        change.after !== undefined &&
        change.path.length > 1 &&
        isPlainObject(getAt(previous, change.path.slice(0, -1)))
          ? this.leafSchema(change.path)
          : null
      if (!leaf) {
        slow.add(change.path[0]!)
        continue
      }
      const result = z.safeParse(leaf, change.after)
      if (!result.success) {
        const prefix = joinPath(change.path)
        issues.push(
          ...fieldIssues(result.error).map((i) => ({
            path: i.path ? `${prefix}.${i.path}` : prefix,
            message: i.message,
          })),
        )
      }
    }
    if (slow.size > 0) issues.push(...this.check(candidate, slow))
    return issues
  }

  /** The schema of the value at `path` when validating it alone suffices, else null. */
  private leafSchema(path: readonly string[]): z.core.$ZodType | null {
    let schema: z.core.$ZodType = this.schema
    for (const key of path) {
      const d = def(unwrap(schema).inner)
      // A check on a container (refine, min keys…) may depend on the child.
      if ((d.checks?.length ?? 0) > 0) return null
      if (d.type === 'object') {
        const child =
          d.shape?.[key] ?? (d.catchall && def(d.catchall).type !== 'never' ? d.catchall : null)
        if (!child) return null
        schema = child as z.core.$ZodType
      } else if (d.type === 'record' && d.keyType && d.valueType) {
        if (!z.safeParse(d.keyType, key).success) return null
        schema = d.valueType
      } else return null
    }
    return schema
  }

  /** Issues of `data`, or `[]` when valid. `keys`: the top-level keys that changed. */
  check(data: unknown, keys?: Iterable<string>): FieldIssue[] {
    if (!isPlainObject(data)) return [{ path: '', message: 'settings must be an object' }]
    const issues: FieldIssue[] = []
    const touched = keys ? [...new Set(keys)] : Object.keys(data)
    for (const key of touched)
      if (!this.open && !Object.hasOwn(this.shape, key) && data[key] !== undefined)
        issues.push({ path: key, message: 'unknown setting' })
    if (issues.length > 0) return issues
    if (keys && !this.wholeOnly) {
      for (const key of touched) {
        const field = this.shape[key]
        if (!field) continue
        const result = z.safeParse(field as z.core.$ZodType, (data as JsonObject)[key])
        if (!result.success)
          issues.push(
            ...fieldIssues(result.error).map((i) => ({
              path: i.path ? `${key}.${i.path}` : key,
              message: i.message,
            })),
          )
      }
      return issues
    }
    const result = z.safeParse(this.schema, data)
    return result.success ? [] : fieldIssues(result.error)
  }
}

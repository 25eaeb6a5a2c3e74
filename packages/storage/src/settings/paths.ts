/**
 * Dot paths over plain JSON trees: typed path helpers for the public API, and immutable
 * get / set / delete / diff with structural sharing, so untouched subtrees keep their
 * identity (listeners compare by identity first; React re-renders only what changed).
 */
import { ValidationError } from '@whatnext/core/errors'
import { setOwn } from '@whatnext/core/own-property'

/** A JSON object, as settings are stored. */
export type JsonObject = Record<string, unknown>

type Primitive = string | number | boolean | bigint | symbol | null | undefined

/** Whether `T` is an object we descend into with dot paths (not an array or function). */
type IsBranch<T> = T extends Primitive
  ? false
  : T extends readonly unknown[]
    ? false
    : T extends (...args: never[]) => unknown
      ? false
      : T extends object
        ? true
        : false

/**
 * Every dot path into `T`: `'theme'`, `'sync.relays'`, `'sync.limits.maxPeers'`. Arrays are
 * leaves (set them whole). Depth is capped so recursive types stay cheap to check.
 */
export type SettingsPath<T, Depth extends unknown[] = []> = Depth['length'] extends 6
  ? never
  : T extends object
    ? {
        [K in keyof T & string]:
          | K
          | (IsBranch<NonNullable<T[K]>> extends true
              ? `${K}.${SettingsPath<NonNullable<T[K]>, [...Depth, 1]>}`
              : never)
      }[keyof T & string]
    : never

/** The type of the value at dot path `P` in `T`. */
export type PathValue<T, P extends string> = P extends keyof T
  ? T[P]
  : P extends `${infer Head}.${infer Rest}`
    ? Head extends keyof T
      ? PathValue<NonNullable<T[Head]>, Rest>
      : never
    : never

/** `T` with every nested object field optional: the shape `set(patch)` accepts. */
export type DeepPartial<T> = IsBranch<T> extends true ? { [K in keyof T]?: DeepPartial<T[K]> } : T

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor'])

/**
 * Splits `'a.b.c'` into segments; `''` is the root. Segments that could reach an object's
 * prototype are refused, so a path from the UI or a file can never pollute one.
 *
 * @throws {ValidationError} for empty or forbidden segments.
 */
export function splitPath(path: string): string[] {
  if (path === '') return []
  const segments = path.split('.')
  for (const segment of segments)
    if (segment === '' || FORBIDDEN.has(segment))
      throw new ValidationError(`Invalid settings path "${path}"`, [
        { path, message: segment === '' ? 'empty path segment' : `"${segment}" is not allowed` },
      ])
  return segments
}

/** Joins segments back into a dot path. */
export function joinPath(path: readonly string[]): string {
  return path.join('.')
}

/** True for `{}`-style objects (what JSON objects parse into), false for arrays and null. */
export function isPlainObject(value: unknown): value is JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** The value at `path`, or `undefined` when any segment is missing. */
export function getAt(root: unknown, path: readonly string[]): unknown {
  let node = root
  for (const key of path) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) return undefined
    node = node[key]
  }
  return node
}

/** Whether every segment of `path` exists (a value of `undefined` counts as absent). */
export function hasAt(root: unknown, path: readonly string[]): boolean {
  return getAt(root, path) !== undefined
}

/** A copy of `root` with `value` at `path`; intermediate objects are created as needed. */
export function setAt(root: JsonObject, path: readonly string[], value: unknown): JsonObject {
  if (path.length === 0) {
    if (!isPlainObject(value)) throw new TypeError('the settings root must be an object')
    return value
  }
  const [key, ...rest] = path as [string, ...string[]]
  const child = Object.hasOwn(root, key) ? root[key] : undefined
  const next = rest.length === 0 ? value : setAt(isPlainObject(child) ? child : {}, rest, value)
  // A computed key in a literal is an own property even for "__proto__".
  return { ...root, [key]: next }
}

/** A copy of `root` without the key at `path` (same object when it was absent). */
export function deleteAt(root: JsonObject, path: readonly string[]): JsonObject {
  if (path.length === 0) return {}
  const [key, ...rest] = path as [string, ...string[]]
  if (!Object.hasOwn(root, key)) return root
  if (rest.length === 0) {
    const { [key]: _removed, ...others } = root
    return others
  }
  const child = root[key]
  if (!isPlainObject(child)) return root
  const next = deleteAt(child, rest)
  return next === child ? root : { ...root, [key]: next }
}

/** Structural equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, i) => deepEqual(item, b[i]))
  }
  if (Array.isArray(b)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  return ka.every(
    (k) => Object.hasOwn(b, k) && deepEqual((a as JsonObject)[k], (b as JsonObject)[k]),
  )
}

/** One difference between two trees; a missing `before` / `after` means "absent". */
export interface SettingsChange {
  path: string[]
  before?: unknown
  after?: unknown
}

/**
 * The smallest set of changes turning `before` into `after`: objects are compared key by
 * key (recursing), anything else (arrays included) is replaced whole.
 */
export function diff(before: unknown, after: unknown, path: string[] = []): SettingsChange[] {
  if (before === after) return []
  if (isPlainObject(before) && isPlainObject(after)) {
    const changes: SettingsChange[] = []
    for (const key of Object.keys(before)) {
      if (!Object.hasOwn(after, key) || after[key] === undefined) {
        if (before[key] !== undefined) changes.push({ path: [...path, key], before: before[key] })
      } else changes.push(...diff(before[key], after[key], [...path, key]))
    }
    for (const key of Object.keys(after))
      if (after[key] !== undefined && (!Object.hasOwn(before, key) || before[key] === undefined))
        changes.push({ path: [...path, key], after: after[key] })
    return changes
  }
  if (deepEqual(before, after)) return []
  const change: SettingsChange = { path }
  if (before !== undefined) change.before = before
  if (after !== undefined) change.after = after
  return [change]
}

/** Applies `changes` in order (each sets its `after`, or deletes when `after` is absent). */
export function applyChanges(root: JsonObject, changes: readonly SettingsChange[]): JsonObject {
  if (changes.length === 1) {
    const [change] = changes as [SettingsChange]
    return change.after !== undefined
      ? setAt(root, change.path, change.after)
      : deleteAt(root, change.path)
  }
  // Objects copied during this call are ours to change: a batch of changes under one
  // parent copies it once, not once per change.
  const fresh = new WeakSet<object>()
  let next = root
  for (const change of changes) {
    if (change.path.length === 0) {
      if (change.after === undefined) next = {}
      else if (isPlainObject(change.after)) next = change.after
      else throw new TypeError('the settings root must be an object')
      continue
    }
    next = writeAt(next, change.path, 0, change.after, fresh)
  }
  return next
}

function writeAt(
  node: JsonObject,
  path: readonly string[],
  i: number,
  value: unknown,
  fresh: WeakSet<object>,
): JsonObject {
  const key = path[i]!
  const last = i === path.length - 1
  if (value === undefined && !Object.hasOwn(node, key)) return node
  let copy = node
  if (!fresh.has(node)) {
    copy = { ...node }
    fresh.add(copy)
  }
  if (last && value === undefined) {
    delete copy[key]
    return copy
  }
  let next = value
  if (!last) {
    const child = Object.hasOwn(copy, key) ? copy[key] : undefined
    next = writeAt(isPlainObject(child) ? child : {}, path, i + 1, value, fresh)
  }
  // A plain assignment to "__proto__" would set the prototype instead of a key.
  setOwn(copy, key, next)
  return copy
}

/** Undoes `changes` (in reverse order), restoring each `before`. */
export function revertChanges(root: JsonObject, changes: readonly SettingsChange[]): JsonObject {
  let next = root
  for (let i = changes.length - 1; i >= 0; i--) {
    const change = changes[i]!
    next =
      'before' in change && change.before !== undefined
        ? setAt(next, change.path, change.before)
        : deleteAt(next, change.path)
  }
  return next
}

/** Freezes `value` and everything under it that is not frozen yet; returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/** A deep copy of a JSON value (structuredClone where present, else JSON round trip). */
export function cloneJson<T>(value: T): T {
  if (value === undefined) return value
  return typeof structuredClone === 'function'
    ? structuredClone(value)
    : (JSON.parse(JSON.stringify(value)) as T)
}

/**
 * The changes `set(patch)` makes to `current`: objects merge (a key may be a dot path),
 * everything else replaces, `undefined` is skipped.
 *
 * @throws {ValidationError} for a key that is not a valid path.
 */
export function patchChanges(current: JsonObject, patch: JsonObject): SettingsChange[] {
  const changes: SettingsChange[] = []
  const walk = (part: JsonObject, prefix: string[]) => {
    for (const [key, value] of Object.entries(part)) {
      const path = [...prefix, ...splitPath(key)]
      if (isPlainObject(value) && isPlainObject(getAt(current, path))) walk(value, path)
      else if (value !== undefined) changes.push({ path, after: value })
    }
  }
  walk(patch, [])
  return changes
}

/**
 * Reading dot paths over plain JSON trees, and the path types of the public API: what a
 * view of the store needs (the page loads this, not the writing half in `paths.ts`).
 */
import { ValidationError } from '@whatnext/core/errors'

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

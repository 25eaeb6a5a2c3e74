/**
 * Sets `key` on `target` as an own, enumerable, writable data property — also when the
 * key is "__proto__", which a plain assignment would take as the object's prototype.
 * For copies of data that came from outside (logs, settings, peers).
 */
export function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}

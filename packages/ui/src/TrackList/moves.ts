/** Pure reorder arithmetic shared by the keyboard, the palette and drag and drop. */

/**
 * Where `moving` (ids in list order) goes when nudged by `delta` places, as the
 * `toIndex` of `playlist/moveTracks` (a position in the list without the moved tracks),
 * or `null` when the block is already at that edge. A scattered selection gathers
 * around its first track.
 */
export function nudgeTarget(
  indexOf: ReadonlyMap<string, number>,
  length: number,
  moving: readonly string[],
  delta: -1 | 1,
): number | null {
  if (moving.length === 0) return null
  const first = indexOf.get(moving[0]!)
  const last = indexOf.get(moving.at(-1)!)
  if (first === undefined || last === undefined) return null
  const contiguous = last - first + 1 === moving.length
  if (contiguous && delta < 0 && first === 0) return null
  if (contiguous && delta > 0 && last === length - 1) return null
  return Math.max(0, Math.min(length - moving.length, first + delta))
}

/** `toIndex` for dropping `moving` before or after the row `overId`, or null for no-op. */
export function dropTarget(
  ids: readonly string[],
  moving: ReadonlySet<string>,
  overId: string,
  after: boolean,
): number | null {
  if (moving.has(overId)) return null
  let index = 0
  for (const id of ids) {
    if (id === overId) return after ? index + 1 : index
    if (!moving.has(id)) index++
  }
  return null
}

/** The message a screen reader hears after a move. */
export function moveAnnouncement(
  title: string,
  count: number,
  toIndex: number,
  total: number,
): string {
  return count === 1
    ? `Moved ‘${title}’ to position ${toIndex + 1} of ${total}`
    : `Moved ${count} tracks to positions ${toIndex + 1}–${toIndex + count} of ${total}`
}

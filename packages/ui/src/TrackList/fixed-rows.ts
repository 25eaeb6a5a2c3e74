/**
 * Windowing for rows of one fixed height: which rows are in view, where each one goes,
 * and scrolling a row into view. Every track row is the same height, so positions are
 * arithmetic (`index × height`) and nothing is O(n): a 10,000-row list costs the same
 * as a 20-row one. (General virtualizers measure each row and keep an array of every
 * row's position, rebuilt whenever the list changes.)
 */
import { useCallback, useEffect, useState, type RefObject } from 'react'

/** A row to render. */
export interface WindowRow {
  index: number
  /** Offset from the top of the list, px. */
  start: number
}

/** Options of {@link useFixedRows}. */
export interface FixedRowsOptions {
  count: number
  rowHeight: number
  /** Rows rendered beyond each edge of the viewport. */
  overscan: number
  scrollRef: RefObject<HTMLElement | null>
  /** Viewport height to assume before (or without) layout, e.g. in tests. */
  fallbackHeight?: number
}

/** The visible rows of a fixed-height list and how to scroll one into view. */
export function useFixedRows({
  count,
  rowHeight,
  overscan,
  scrollRef,
  fallbackHeight = 600,
}: FixedRowsOptions): {
  rows: WindowRow[]
  totalSize: number
  scrollToIndex(index: number): void
} {
  const [viewport, setViewport] = useState({ top: 0, height: fallbackHeight })

  /** Reads the scroll position; re-renders only when the first row or the height changes. */
  const read = useCallback(() => {
    const el = scrollRef.current
    if (!el) return
    const height = el.clientHeight || fallbackHeight
    const top = el.scrollTop
    setViewport((v) =>
      Math.floor(v.top / rowHeight) === Math.floor(top / rowHeight) && v.height === height
        ? v
        : { top, height },
    )
  }, [scrollRef, rowHeight, fallbackHeight])

  useEffect(() => {
    const el = scrollRef.current
    if (!el) return
    read()
    el.addEventListener('scroll', read, { passive: true })
    const resize = typeof ResizeObserver === 'function' ? new ResizeObserver(read) : null
    resize?.observe(el)
    return () => {
      el.removeEventListener('scroll', read)
      resize?.disconnect()
    }
  }, [scrollRef, read])

  const first = Math.max(0, Math.floor(viewport.top / rowHeight) - overscan)
  const last = Math.min(
    count - 1,
    Math.ceil((viewport.top + viewport.height) / rowHeight) + overscan,
  )
  const rows: WindowRow[] = []
  for (let index = first; index <= last; index++) rows.push({ index, start: index * rowHeight })

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scrollRef.current
      if (!el) return
      const top = index * rowHeight
      const height = el.clientHeight || fallbackHeight
      if (top < el.scrollTop) el.scrollTop = top
      else if (top + rowHeight > el.scrollTop + height) el.scrollTop = top + rowHeight - height
      // The scroll event comes later (or, without layout, never): render the rows now.
      read()
    },
    [scrollRef, rowHeight, fallbackHeight, read],
  )

  return { rows, totalSize: count * rowHeight, scrollToIndex }
}

/**
 * The track list: a virtualized ARIA grid (only the visible rows are in the DOM, so
 * 10,000 tracks scroll smoothly) with multi-select, a roving tabindex, keyboard
 * reordering (Alt+↑/↓), drag and drop (dnd-kit, pointer and keyboard; dragging a
 * selected row moves the whole selection) and a live region that announces moves.
 *
 * How drag and drop fits the virtualizer: every row is absolutely placed by the
 * virtualizer and registers with dnd-kit only while it is rendered. Rows never shift
 * during a drag (the sorting strategy returns no transforms, which would fight the
 * virtualizer's own positioning); a drag overlay (portalled to the body, so no
 * transformed ancestor offsets it) follows the pointer and a line marks where the drop
 * lands: before or after the row under the pointer (keyboard drags: the row reached).
 */
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  pointerWithin,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragMoveEvent,
  type DragStartEvent,
} from '@dnd-kit/core'
import { SortableContext, sortableKeyboardCoordinates, useSortable } from '@dnd-kit/sortable'
import { formatDuration, type Track } from '@whatnext/core/client'
import {
  memo,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type Ref,
} from 'react'
import { createPortal } from 'react-dom'
import { useFixedRows } from './fixed-rows'
import { dropTarget, moveAnnouncement, nudgeTarget } from './moves'

/** Height of a row in CSS pixels (rows are fixed-height, so nothing is measured). */
export const ROW_HEIGHT = 44

/** What the rest of the app can ask of the list (palette, toolbar). */
export interface TrackListHandle {
  selectAll(): void
  clearSelection(): void
  removeSelected(): void
  moveSelected(delta: -1 | 1): void
  /** Scrolls to, selects and focuses the track. */
  focusTrack(id: string): void
  selectedIds(): string[]
}

/** Someone else's selection, marked on the track they are on. */
export interface TrackMark {
  /** The person's peer id. */
  id: string
  name: string
  /** `#rrggbb` */
  colour: string
}

/** Props of {@link TrackList}. */
export interface TrackListProps {
  tracks: Track[]
  /** Moves `ids` so the first lands at `toIndex` of the list without them. */
  onMove(ids: string[], toIndex: number): Promise<unknown>
  onRemove(ids: string[]): void
  onEdit(track: Track): void
  /** Screen-reader announcement (the parent renders the live region). */
  announce(message: string): void
  /** Handle for the palette and toolbar. */
  handleRef?: Ref<TrackListHandle>
  /** Called when the selection changes (ids in list order). */
  onSelectionChange?(ids: string[]): void
  /** Called when the focused track changes (null: none). */
  onFocusChange?(id: string | null): void
  /** No reordering, removing or editing: a playlist shared with the user read-only. */
  readOnly?: boolean
  /** Other people on a track, by track id (a thin line in their colour and their name). */
  marks?: ReadonlyMap<string, readonly TrackMark[]>
}

/** What a row is called: its title, else its source. */
export const trackLabel = (t: Track) => t.title || t.source || 'Untitled track'

const EMPTY: ReadonlySet<string> = new Set()

// Rows stay where the virtualizer puts them during a drag; see the file comment.
const noShift = () => null

/** Header cells after the drag-handle column: class and label. */
const COLUMNS = [
  ['c-num', '#'],
  ['c-title', 'Title'],
  ['c-artists', 'Artists'],
  ['c-album', 'Album'],
  ['c-duration', 'Duration'],
  ['c-tags', 'Tags'],
] as const

/** The row under the pointer; keyboard drags (no pointer) use the nearest centre. */
const underPointer: CollisionDetection = (args) => {
  const hits = pointerWithin(args)
  return hits.length > 0 ? hits : closestCenter(args)
}

/** Where the pointer is now, for pointer drags; null for keyboard drags. */
function pointerY(e: DragMoveEvent | DragEndEvent): number | null {
  const start = e.activatorEvent
  return start && 'clientY' in start && typeof start.clientY === 'number'
    ? start.clientY + e.delta.y
    : null
}

interface DropLine {
  id: string
  after: boolean
}

/** The virtualized, reorderable track grid. */
export function TrackList({
  tracks,
  onMove,
  onRemove,
  onEdit,
  announce,
  handleRef,
  onSelectionChange,
  onFocusChange,
  readOnly = false,
  marks,
}: TrackListProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const [selected, setSelected] = useState<ReadonlySet<string>>(EMPTY)
  const [focusedId, setFocusedId] = useState<string | null>(null)
  const [anchorId, setAnchorId] = useState<string | null>(null)
  const [dragging, setDragging] = useState<string | null>(null)
  const [dropLine, setDropLine] = useState<DropLine | null>(null)
  // Set when the next render should move DOM focus to the focused row.
  const wantFocus = useRef(false)

  const ids = useMemo(() => tracks.map((t) => t.id), [tracks])
  const indexOf = useMemo(() => new Map(ids.map((id, i) => [id, i])), [ids])

  // Forget selected tracks that are gone (removed here or in another tab).
  useEffect(() => {
    setSelected((s) => {
      if (s.size === 0) return s
      const kept = [...s].filter((id) => indexOf.has(id))
      return kept.length === s.size ? s : new Set(kept)
    })
    setFocusedId((f) => (f && !indexOf.has(f) ? null : f))
  }, [indexOf])

  const selectedInOrder = useCallback(
    () => (selected.size === 0 ? [] : ids.filter((id) => selected.has(id))),
    [selected, ids],
  )
  useEffect(() => onSelectionChange?.(selectedInOrder()), [selectedInOrder, onSelectionChange])
  useEffect(() => onFocusChange?.(focusedId), [focusedId, onFocusChange])

  const virtualizer = useFixedRows({
    count: tracks.length,
    rowHeight: ROW_HEIGHT,
    overscan: 10,
    scrollRef,
  })
  const { scrollToIndex } = virtualizer

  const focusedIndex = focusedId ? (indexOf.get(focusedId) ?? -1) : -1

  // Keep the focused row in view and focused after it moves or the list reloads.
  useEffect(() => {
    if (focusedIndex < 0 || !wantFocus.current) return
    scrollToIndex(focusedIndex)
    const frame = requestAnimationFrame(() => {
      wantFocus.current = false
      const el = rowElement(scrollRef.current, focusedId!)
      if (el && !el.contains(document.activeElement)) el.focus({ preventScroll: true })
    })
    return () => cancelAnimationFrame(frame)
  }, [focusedIndex, focusedId, scrollToIndex, tracks])

  /** The selection, or the focused track when nothing is selected. */
  const acting = useCallback((): string[] => {
    const sel = selectedInOrder()
    if (sel.length > 0) return sel
    return focusedId && indexOf.has(focusedId) ? [focusedId] : []
  }, [selectedInOrder, focusedId, indexOf])

  const moveSelected = useCallback(
    (delta: -1 | 1) => {
      if (readOnly) return
      const moving = acting()
      const toIndex = nudgeTarget(indexOf, tracks.length, moving, delta)
      if (toIndex === null) return
      const leadId = focusedId && moving.includes(focusedId) ? focusedId : moving[0]!
      const lead = tracks[indexOf.get(leadId)!]!
      wantFocus.current = true
      setFocusedId(leadId)
      const total = tracks.length
      void onMove(moving, toIndex).then(() =>
        announce(moveAnnouncement(trackLabel(lead), moving.length, toIndex, total)),
      )
    },
    [readOnly, acting, indexOf, tracks, focusedId, onMove, announce],
  )

  const removeSelected = useCallback(() => {
    const removing = acting()
    if (readOnly || removing.length === 0) return
    const gone = new Set(removing)
    const lastIndex = indexOf.get(removing.at(-1)!) ?? 0
    // Focus lands on the next remaining track, else the previous one.
    const next =
      tracks.slice(lastIndex + 1).find((t) => !gone.has(t.id)) ??
      tracks
        .slice(0, lastIndex)
        .reverse()
        .find((t) => !gone.has(t.id))
    wantFocus.current = true
    setFocusedId(next?.id ?? null)
    setAnchorId(next?.id ?? null)
    setSelected(EMPTY)
    onRemove(removing)
  }, [readOnly, acting, tracks, indexOf, onRemove])

  const focusTrack = useCallback((id: string) => {
    wantFocus.current = true
    setFocusedId(id)
    setAnchorId(id)
    setSelected(new Set([id]))
  }, [])

  useImperativeHandle(
    handleRef,
    () => ({
      selectAll: () => setSelected(new Set(ids)),
      clearSelection: () => setSelected(EMPTY),
      removeSelected,
      moveSelected,
      focusTrack,
      selectedIds: acting,
    }),
    [ids, removeSelected, moveSelected, focusTrack, acting],
  )

  const rangeTo = (id: string) => {
    const from = indexOf.get(anchorId ?? focusedId ?? id) ?? 0
    const to = indexOf.get(id)!
    return new Set(ids.slice(Math.min(from, to), Math.max(from, to) + 1))
  }

  const focusAt = (index: number, extend: boolean) => {
    const target = tracks[Math.max(0, Math.min(tracks.length - 1, index))]
    if (!target) return
    wantFocus.current = true
    setFocusedId(target.id)
    if (extend) setSelected(rangeTo(target.id))
    else {
      setSelected(new Set([target.id]))
      setAnchorId(target.id)
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (tracks.length === 0) return
    const target = e.target as HTMLElement
    // The drag handle belongs to dnd-kit's keyboard sensor (Space/Enter pick up, arrows
    // move, Space/Enter drop, Escape cancels); only leaving it is ours.
    if (target.closest('.drag-handle')) {
      if (!dragging && (e.key === 'ArrowLeft' || e.key === 'Escape')) {
        e.preventDefault()
        target.closest<HTMLElement>('[role="row"]')?.focus()
      }
      return
    }
    const current = focusedIndex < 0 ? 0 : focusedIndex
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 440) / ROW_HEIGHT) - 1)
    const mod = e.ctrlKey || e.metaKey
    let handled = true
    // Read-only: the keys that would change the playlist do nothing (and are not taken).
    if (
      readOnly &&
      ((e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) ||
        e.key === 'Enter' ||
        e.key === 'ArrowRight' ||
        ((e.key === 'Delete' || e.key === 'Backspace') && !mod))
    )
      return
    if (e.altKey && e.key === 'ArrowUp') moveSelected(-1)
    else if (e.altKey && e.key === 'ArrowDown') moveSelected(1)
    else if (e.altKey) handled = false
    else if (e.key === 'ArrowDown') focusAt(current + 1, e.shiftKey)
    else if (e.key === 'ArrowUp') focusAt(current - 1, e.shiftKey)
    else if (e.key === 'PageDown') focusAt(current + page, e.shiftKey)
    else if (e.key === 'PageUp') focusAt(current - page, e.shiftKey)
    else if (e.key === 'Home') focusAt(0, e.shiftKey)
    else if (e.key === 'End') focusAt(tracks.length - 1, e.shiftKey)
    else if (e.key === 'ArrowRight' && focusedId)
      rowElement(scrollRef.current, focusedId)?.querySelector<HTMLElement>('.drag-handle')?.focus()
    else if (mod && e.key.toLowerCase() === 'a') setSelected(new Set(ids))
    else if (e.key === 'Escape' && selected.size > 0) setSelected(EMPTY)
    else if (e.key === 'Enter' && focusedIndex >= 0) onEdit(tracks[focusedIndex]!)
    else if ((e.key === 'Delete' || e.key === 'Backspace') && !mod) removeSelected()
    else if (e.key === ' ' && focusedId) {
      const next = new Set(selected)
      if (next.has(focusedId)) next.delete(focusedId)
      else next.add(focusedId)
      setSelected(next)
    } else handled = false
    if (handled) {
      e.preventDefault()
      e.stopPropagation()
    }
  }

  const onRowClick = useCallback(
    (e: MouseEvent, id: string) => {
      setFocusedId(id)
      if (e.shiftKey) {
        const from = indexOf.get(anchorId ?? id) ?? 0
        const to = indexOf.get(id)!
        setSelected(new Set(ids.slice(Math.min(from, to), Math.max(from, to) + 1)))
        return
      }
      setAnchorId(id)
      if (e.ctrlKey || e.metaKey) {
        setSelected((s) => {
          const next = new Set(s)
          if (next.has(id)) next.delete(id)
          else next.add(id)
          return next
        })
      } else setSelected(new Set([id]))
    },
    [indexOf, anchorId, ids],
  )

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )

  /** Ids a drag of `activeId` carries: the selection when it is part of it. */
  const carried = (activeId: string) =>
    selected.has(activeId) ? ids.filter((id) => selected.has(id)) : [activeId]

  const lineFor = (e: DragMoveEvent | DragEndEvent): DropLine | null => {
    const { active, over } = e
    if (!over) return null
    const overId = String(over.id)
    const rect = active.rect.current.translated
    const y = pointerY(e) ?? (rect ? rect.top + rect.height / 2 : 0)
    const delta = y - (over.rect.top + over.rect.height / 2)
    // Keyboard moves land exactly on a row: fall back to the direction of travel.
    const after =
      Math.abs(delta) < 2
        ? (indexOf.get(overId) ?? 0) > (indexOf.get(String(active.id)) ?? 0)
        : delta > 0
    return { id: overId, after }
  }

  const onDragStart = ({ active }: DragStartEvent) => {
    const id = String(active.id)
    setDragging(id)
    if (!selected.has(id)) {
      setSelected(new Set([id]))
      setAnchorId(id)
    }
    setFocusedId(id)
  }
  const onDragMove = (e: DragMoveEvent) => {
    const next = lineFor(e)
    setDropLine((cur) =>
      cur?.id === next?.id && cur?.after === next?.after ? cur : (next ?? null),
    )
  }
  const onDragEnd = (e: DragEndEvent) => {
    const line = lineFor(e)
    setDragging(null)
    setDropLine(null)
    if (!line) return
    const activeId = String(e.active.id)
    const moving = carried(activeId)
    const toIndex = dropTarget(ids, new Set(moving), line.id, line.after)
    if (toIndex === null) return
    const title = trackLabel(tracks[indexOf.get(activeId)!]!)
    const total = tracks.length
    wantFocus.current = true
    setFocusedId(activeId)
    void onMove(moving, toIndex).then(() =>
      announce(moveAnnouncement(title, moving.length, toIndex, total)),
    )
  }

  const titleOf = (id: string | number) => {
    const t = tracks[indexOf.get(String(id)) ?? -1]
    return t ? `‘${trackLabel(t)}’` : 'the track'
  }
  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      `Picked up ${titleOf(active.id)}. Use the arrow keys to move, Space to drop, Escape to cancel.`,
    onDragOver: ({ active, over }) =>
      over ? `${titleOf(active.id)} is over ${titleOf(over.id)}.` : undefined,
    onDragEnd: ({ active, over }) =>
      over ? `Dropped ${titleOf(active.id)}.` : `Dropped ${titleOf(active.id)} where it was.`,
    onDragCancel: ({ active }) => `Cancelled. ${titleOf(active.id)} stays where it was.`,
  }

  const draggingTrack = dragging ? tracks[indexOf.get(dragging) ?? -1] : undefined
  const items = virtualizer.rows
  // Roving tabindex: the focused row is the grid's one tab stop; if it is scrolled out of
  // the DOM, the first rendered row stands in so Tab still reaches the grid.
  const tabStop =
    focusedId && items.some((i) => ids[i.index] === focusedId)
      ? focusedId
      : (ids[items[0]?.index ?? 0] ?? null)

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={underPointer}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable:
            'To reorder, press Space or Enter to pick the track up, the arrow keys to move it, Space or Enter to drop, Escape to cancel. Alt+Up and Alt+Down also move the selected tracks.',
        },
      }}
      onDragStart={onDragStart}
      onDragMove={onDragMove}
      onDragEnd={onDragEnd}
      onDragCancel={() => {
        setDragging(null)
        setDropLine(null)
      }}
    >
      <SortableContext items={ids} strategy={noShift}>
        <div
          className="track-grid"
          role="grid"
          aria-label="Tracks"
          aria-rowcount={tracks.length + 1}
          aria-colcount={7}
          aria-multiselectable="true"
          aria-readonly={readOnly || undefined}
          onKeyDown={onKeyDown}
        >
          <div role="rowgroup" className="track-head-group">
            <div role="row" aria-rowindex={1} className="track-row track-head">
              <div role="columnheader" className="c-handle">
                <span className="visually-hidden">Reorder</span>
              </div>
              {COLUMNS.map(([className, label]) => (
                <div key={className} role="columnheader" className={className}>
                  {label}
                </div>
              ))}
            </div>
          </div>
          <div className="track-scroll" ref={scrollRef} data-testid="track-scroll" role="rowgroup">
            <div className="track-sizer" style={{ height: virtualizer.totalSize }}>
              {items.map((item) => {
                const track = tracks[item.index]!
                return (
                  <Row
                    key={track.id}
                    track={track}
                    index={item.index}
                    start={item.start}
                    selected={selected.has(track.id)}
                    tabStop={track.id === tabStop}
                    carried={
                      dragging !== null &&
                      (track.id === dragging || (selected.has(dragging) && selected.has(track.id)))
                    }
                    drop={dropLine?.id === track.id ? (dropLine.after ? 'after' : 'before') : null}
                    onClick={onRowClick}
                    onFocusRow={setFocusedId}
                    onEdit={readOnly ? undefined : onEdit}
                    readOnly={readOnly}
                    marks={marks?.get(track.id)}
                  />
                )
              })}
            </div>
          </div>
        </div>
      </SortableContext>
      {createPortal(
        <DragOverlay dropAnimation={null}>
          {draggingTrack ? (
            <div className="drag-overlay">
              {trackLabel(draggingTrack)}
              {selected.has(draggingTrack.id) && selected.size > 1
                ? ` and ${selected.size - 1} more`
                : ''}
            </div>
          ) : null}
        </DragOverlay>,
        document.body,
      )}
    </DndContext>
  )
}

function rowElement(root: HTMLElement | null, id: string): HTMLElement | null {
  return root?.querySelector<HTMLElement>(`[data-track-id="${CSS.escape(id)}"]`) ?? null
}

interface RowProps {
  track: Track
  index: number
  start: number
  selected: boolean
  tabStop: boolean
  carried: boolean
  drop: 'before' | 'after' | null
  onClick(e: MouseEvent, id: string): void
  onFocusRow(id: string): void
  onEdit?: (track: Track) => void
  readOnly: boolean
  marks: readonly TrackMark[] | undefined
}

/** One track; memoized so scrolling re-renders only rows whose props changed. */
const Row = memo(function Row({
  track,
  index,
  start,
  selected,
  tabStop,
  carried,
  drop,
  onClick,
  onFocusRow,
  onEdit,
  readOnly,
  marks,
}: RowProps) {
  const { setNodeRef, setActivatorNodeRef, listeners, attributes } = useSortable({
    id: track.id,
    disabled: readOnly,
  })
  const name = trackLabel(track)
  const mark = marks?.[0]
  return (
    <div
      ref={setNodeRef}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-label={name}
      tabIndex={tabStop ? 0 : -1}
      data-track-id={track.id}
      data-testid="track-row"
      className={`track-row${selected ? ' selected' : ''}${carried ? ' carried' : ''}${
        drop ? ` drop-${drop}` : ''
      }${mark ? ' marked' : ''}`}
      // `top`, not a transform: dnd-kit measures rows ignoring transforms.
      style={mark ? { top: start, ['--mark' as string]: mark.colour } : { top: start }}
      onClick={(e) => onClick(e, track.id)}
      onFocus={(e) => e.target === e.currentTarget && onFocusRow(track.id)}
      onDoubleClick={onEdit && (() => onEdit(track))}
    >
      <div role="gridcell" className="c-handle">
        {!readOnly && (
          <button
            ref={setActivatorNodeRef}
            type="button"
            className="drag-handle"
            {...attributes}
            {...listeners}
            aria-label={`Drag to reorder ${name}`}
            tabIndex={-1}
          >
            <svg width="12" height="16" viewBox="0 0 12 16" aria-hidden="true" focusable="false">
              <circle cx="3" cy="3" r="1.5" />
              <circle cx="9" cy="3" r="1.5" />
              <circle cx="3" cy="8" r="1.5" />
              <circle cx="9" cy="8" r="1.5" />
              <circle cx="3" cy="13" r="1.5" />
              <circle cx="9" cy="13" r="1.5" />
            </svg>
          </button>
        )}
      </div>
      <div role="gridcell" className="c-num">
        {index + 1}
      </div>
      <div role="gridcell" className="c-title" title={track.source || undefined}>
        {name}
        {marks?.map((m) => (
          <span key={m.id} className="track-mark" style={{ ['--mark' as string]: m.colour }}>
            {m.name}
          </span>
        ))}
      </div>
      <div role="gridcell" className="c-artists">
        {track.artists.join(', ')}
      </div>
      <div role="gridcell" className="c-album">
        {track.album}
      </div>
      <div role="gridcell" className="c-duration">
        {track.durationMs === null ? '' : formatDuration(track.durationMs)}
      </div>
      <div role="gridcell" className="c-tags">
        {track.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
      </div>
    </div>
  )
})

/**
 * The track list: a virtualized ARIA grid (only visible rows are in the DOM, so 10,000
 * tracks scroll smoothly) with multi-select, keyboard reordering (Alt+↑/↓), drag and
 * drop (dnd-kit; dragging a selected row moves the whole selection) and a live region
 * that announces moves.
 */
import {
  DndContext,
  DragOverlay,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core'
import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable'
import { useVirtualizer } from '@tanstack/react-virtual'
import { formatDuration, type Track } from '@whatnext/core/client'
import {
  forwardRef,
  memo,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from 'react'

const ROW_HEIGHT = 44

/** What the rest of the app can ask of the list (palette, toolbar). */
export interface TrackListHandle {
  selectAll(): void
  removeSelected(): void
  moveSelected(delta: -1 | 1): void
  focusTrack(id: string): void
  selectedIds(): string[]
}

/** Props of {@link TrackList}. */
export interface TrackListProps {
  tracks: Track[]
  /** Moves `ids` so the first lands at `toIndex` of the list without them. */
  onMove(ids: string[], toIndex: number): Promise<void>
  onRemove(ids: string[]): Promise<void>
  onEdit(track: Track): void
  /** Screen-reader announcement. */
  announce(message: string): void
  /** Track to focus once it is in the list (e.g. from a search hit). */
  focusRequest?: string | null
}

const label = (t: Track) => t.title || t.source || 'Untitled track'

/** The virtualized, reorderable track grid. */
export const TrackList = forwardRef<TrackListHandle, TrackListProps>(function TrackList(
  { tracks, onMove, onRemove, onEdit, announce, focusRequest },
  ref,
) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [focusedId, setFocusedId] = useState<string | null>(null)
  const [anchorId, setAnchorId] = useState<string | null>(null)
  const [dragging, setDragging] = useState<string | null>(null)
  const wantFocus = useRef(false)

  const indexOf = useMemo(() => new Map(tracks.map((t, i) => [t.id, i])), [tracks])
  const ids = useMemo(() => tracks.map((t) => t.id), [tracks])

  // Forget selected tracks that are gone (removed here or by another tab).
  useEffect(() => {
    setSelected((s) => {
      const kept = [...s].filter((id) => indexOf.has(id))
      return kept.length === s.size ? s : new Set(kept)
    })
    if (focusedId && !indexOf.has(focusedId)) setFocusedId(tracks[0]?.id ?? null)
  }, [indexOf, focusedId, tracks])

  const virtualizer = useVirtualizer({
    count: tracks.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => tracks[i]?.id ?? i,
    initialRect: { width: 800, height: 600 },
  })

  // Keep the focused row in view and focused after it moves or the list reloads.
  const focusedIndex = focusedId ? (indexOf.get(focusedId) ?? -1) : -1
  useEffect(() => {
    if (focusedIndex < 0 || !wantFocus.current) return
    virtualizer.scrollToIndex(focusedIndex, { align: 'auto' })
    const frame = requestAnimationFrame(() => {
      const el = scrollRef.current?.querySelector<HTMLElement>(`[data-track-id="${CSS.escape(focusedId!)}"]`)
      if (el && document.activeElement !== el) el.focus({ preventScroll: true })
    })
    return () => cancelAnimationFrame(frame)
  }, [focusedIndex, focusedId, virtualizer, tracks])

  useEffect(() => {
    if (focusRequest && indexOf.has(focusRequest)) {
      wantFocus.current = true
      setFocusedId(focusRequest)
      setSelected(new Set([focusRequest]))
      setAnchorId(focusRequest)
    }
  }, [focusRequest, indexOf])

  const selection = useCallback((): string[] => {
    if (selected.size > 0) return ids.filter((id) => selected.has(id))
    return focusedId && indexOf.has(focusedId) ? [focusedId] : []
  }, [selected, ids, focusedId, indexOf])

  const moveSelected = useCallback(
    (delta: -1 | 1) => {
      const moving = selection()
      if (moving.length === 0) return
      const first = indexOf.get(moving[0]!)!
      const last = indexOf.get(moving.at(-1)!)!
      if ((delta < 0 && first === 0) || (delta > 0 && last === tracks.length - 1)) return
      const toIndex = first + delta
      wantFocus.current = true
      const lead = tracks[indexOf.get(focusedId ?? moving[0]!) ?? first]!
      void onMove(moving, toIndex).then(() =>
        announce(
          moving.length === 1
            ? `Moved ‘${label(lead)}’ to position ${toIndex + 1} of ${tracks.length}`
            : `Moved ${moving.length} tracks to positions ${toIndex + 1}–${toIndex + moving.length} of ${tracks.length}`,
        ),
      )
    },
    [selection, indexOf, tracks, focusedId, onMove, announce],
  )

  const removeSelected = useCallback(() => {
    const removing = selection()
    if (removing.length === 0) return
    const after = tracks[(indexOf.get(removing.at(-1)!) ?? 0) + 1] ?? tracks[(indexOf.get(removing[0]!) ?? 1) - 1]
    setFocusedId(after?.id ?? null)
    setSelected(new Set())
    void onRemove(removing)
  }, [selection, tracks, indexOf, onRemove])

  useImperativeHandle(
    ref,
    () => ({
      selectAll: () => setSelected(new Set(ids)),
      removeSelected,
      moveSelected,
      focusTrack(id) {
        wantFocus.current = true
        setFocusedId(id)
      },
      selectedIds: selection,
    }),
    [ids, removeSelected, moveSelected, selection],
  )

  const focusAt = (index: number, extend: boolean) => {
    const target = tracks[Math.max(0, Math.min(tracks.length - 1, index))]
    if (!target) return
    wantFocus.current = true
    setFocusedId(target.id)
    if (extend) {
      const from = indexOf.get(anchorId ?? focusedId ?? target.id) ?? 0
      const to = indexOf.get(target.id)!
      setSelected(new Set(ids.slice(Math.min(from, to), Math.max(from, to) + 1)))
    } else {
      setSelected(new Set([target.id]))
      setAnchorId(target.id)
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (tracks.length === 0) return
    const current = focusedIndex < 0 ? 0 : focusedIndex
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 440) / ROW_HEIGHT) - 1)
    const mod = e.ctrlKey || e.metaKey
    let handled = true
    if (e.altKey && e.key === 'ArrowUp') moveSelected(-1)
    else if (e.altKey && e.key === 'ArrowDown') moveSelected(1)
    else if (e.key === 'ArrowDown') focusAt(current + 1, e.shiftKey)
    else if (e.key === 'ArrowUp') focusAt(current - 1, e.shiftKey)
    else if (e.key === 'PageDown') focusAt(current + page, e.shiftKey)
    else if (e.key === 'PageUp') focusAt(current - page, e.shiftKey)
    else if (e.key === 'Home') focusAt(0, e.shiftKey)
    else if (e.key === 'End') focusAt(tracks.length - 1, e.shiftKey)
    else if (mod && e.key.toLowerCase() === 'a') setSelected(new Set(ids))
    else if (e.key === 'Escape' && selected.size > 0) setSelected(new Set())
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
      wantFocus.current = true
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

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }))
  const onDragStart = (e: DragStartEvent) => setDragging(String(e.active.id))
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(null)
    if (!over || active.id === over.id) return
    const activeId = String(active.id)
    const moving = selected.has(activeId) ? ids.filter((id) => selected.has(id)) : [activeId]
    if (moving.includes(String(over.id))) return
    const rest = ids.filter((id) => !moving.includes(id))
    const overIndex = rest.indexOf(String(over.id))
    const downwards = indexOf.get(String(over.id))! > indexOf.get(activeId)!
    const toIndex = downwards ? overIndex + 1 : overIndex
    wantFocus.current = true
    setFocusedId(activeId)
    void onMove(moving, toIndex).then(() =>
      announce(`Moved ${moving.length === 1 ? `‘${label(tracks[indexOf.get(activeId)!]!)}’` : `${moving.length} tracks`} to position ${toIndex + 1} of ${tracks.length}`),
    )
  }

  const draggingTrack = dragging ? tracks[indexOf.get(dragging) ?? -1] : undefined
  const items = virtualizer.getVirtualItems()

  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setDragging(null)}>
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <div
          className="track-grid"
          role="grid"
          aria-label="Tracks"
          aria-rowcount={tracks.length + 1}
          aria-multiselectable="true"
          onKeyDown={onKeyDown}
        >
          <div role="row" aria-rowindex={1} className="track-row track-head">
            <div role="columnheader" className="c-handle">
              <span className="visually-hidden">Reorder</span>
            </div>
            <div role="columnheader" className="c-num">
              #
            </div>
            <div role="columnheader" className="c-title">
              Title
            </div>
            <div role="columnheader" className="c-artists">
              Artists
            </div>
            <div role="columnheader" className="c-album">
              Album
            </div>
            <div role="columnheader" className="c-duration">
              Time
            </div>
            <div role="columnheader" className="c-tags">
              Tags
            </div>
          </div>
          <div className="track-scroll" ref={scrollRef} data-testid="track-scroll">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const track = tracks[item.index]!
                return (
                  <Row
                    key={track.id}
                    track={track}
                    index={item.index}
                    start={item.start}
                    selected={selected.has(track.id)}
                    focusable={track.id === (focusedId ?? tracks[0]?.id)}
                    dimmed={dragging !== null && track.id !== dragging && selected.has(dragging) && selected.has(track.id)}
                    onClick={onRowClick}
                    onEdit={onEdit}
                  />
                )
              })}
            </div>
          </div>
        </div>
      </SortableContext>
      <DragOverlay dropAnimation={null}>
        {draggingTrack ? (
          <div className="track-row drag-overlay">
            <div className="c-title">
              {label(draggingTrack)}
              {selected.has(draggingTrack.id) && selected.size > 1 ? ` + ${selected.size - 1} more` : ''}
            </div>
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  )
})

interface RowProps {
  track: Track
  index: number
  start: number
  selected: boolean
  focusable: boolean
  dimmed: boolean
  onClick(e: MouseEvent, id: string): void
  onEdit(track: Track): void
}

const Row = memo(function Row({ track, index, start, selected, focusable, dimmed, onClick, onEdit }: RowProps) {
  const { setNodeRef, listeners, attributes, transform, isDragging } = useSortable({ id: track.id })
  const name = label(track)
  return (
    <div
      ref={setNodeRef}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-label={name}
      tabIndex={focusable ? 0 : -1}
      data-track-id={track.id}
      className={`track-row${selected ? ' selected' : ''}${isDragging || dimmed ? ' dragging' : ''}`}
      style={{ transform: `translate3d(0, ${start + (transform?.y ?? 0)}px, 0)` }}
      onClick={(e) => onClick(e, track.id)}
      onDoubleClick={() => onEdit(track)}
    >
      <div role="gridcell" className="c-handle">
        <button
          type="button"
          className="drag-handle"
          aria-label={`Drag to reorder ${name}`}
          {...attributes}
          {...listeners}
          tabIndex={-1}
        >
          <svg width="12" height="16" viewBox="0 0 12 16" aria-hidden="true">
            <circle cx="3" cy="3" r="1.5" />
            <circle cx="9" cy="3" r="1.5" />
            <circle cx="3" cy="8" r="1.5" />
            <circle cx="9" cy="8" r="1.5" />
            <circle cx="3" cy="13" r="1.5" />
            <circle cx="9" cy="13" r="1.5" />
          </svg>
        </button>
      </div>
      <div role="gridcell" className="c-num">
        {index + 1}
      </div>
      <div role="gridcell" className="c-title" title={track.source || undefined}>
        {name}
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

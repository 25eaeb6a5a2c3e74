/** Ctrl/Cmd+K: every action by name (cmdk), in a modal with focus kept inside. */
import { Command, defaultFilter } from 'cmdk'
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'

/** One runnable action. */
export interface PaletteCommand {
  id: string
  /** What the item says; also its accessible name. */
  label: string
  group: string
  shortcut?: string
  keywords?: string[]
  run(): void
}

/** Props of {@link CommandPalette}. */
export interface CommandPaletteProps {
  commands: readonly PaletteCommand[]
  onClose(): void
}

/**
 * The commands matching `search`, best first (cmdk's own fuzzy score over the label and
 * keywords), each group placed by its best match; all of them, in order, for no search.
 */
export function matchCommands(
  commands: readonly PaletteCommand[],
  search: string,
): PaletteCommand[] {
  const query = search.trim()
  if (query === '') return [...commands]
  const scored = commands
    .map((command, index) => ({
      command,
      index,
      score: defaultFilter(command.label, query, command.keywords ?? []),
    }))
    .filter((s) => s.score > 0)
  const groupBest = new Map<string, number>()
  for (const s of scored)
    groupBest.set(s.command.group, Math.max(groupBest.get(s.command.group) ?? 0, s.score))
  return scored
    .sort(
      (a, b) =>
        (groupBest.get(b.command.group) ?? 0) - (groupBest.get(a.command.group) ?? 0) ||
        a.command.group.localeCompare(b.command.group) ||
        b.score - a.score ||
        a.index - b.index,
    )
    .map((s) => s.command)
}

/**
 * The command palette dialog. It filters and picks the highlighted command itself, in
 * the same render as the keystroke (cmdk's own filtering highlights the first item a
 * render later, so an Enter right after typing could find nothing highlighted); cmdk
 * keeps the arrow keys, Enter and the combobox semantics.
 */
export function CommandPalette({ commands, onClose }: CommandPaletteProps) {
  const previous = useRef<HTMLElement | null>(null)
  const input = useRef<HTMLInputElement>(null)
  const [search, setSearch] = useState('')
  const shown = useMemo(() => matchCommands(commands, search), [commands, search])
  const [highlighted, setHighlighted] = useState(() => shown[0]?.id ?? '')
  const onSearch = (next: string) => {
    setSearch(next)
    setHighlighted(matchCommands(commands, next)[0]?.id ?? '')
  }
  useEffect(() => {
    previous.current = document.activeElement as HTMLElement | null
    input.current?.focus()
  }, [])
  const close = (restoreFocus: boolean) => {
    onClose()
    if (restoreFocus && previous.current?.isConnected) previous.current.focus()
  }
  const groups = [...new Set(shown.map((c) => c.group))]
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      close(true)
    } else if (e.key === 'Tab') {
      // The input is the palette's only stop; items are reached with the arrow keys.
      e.preventDefault()
      input.current?.focus()
    }
  }
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && close(true)}>
      <div
        className="palette-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        onKeyDown={onKeyDown}
      >
        <Command
          label="Commands"
          className="palette"
          loop
          shouldFilter={false}
          value={highlighted}
          onValueChange={setHighlighted}
        >
          <Command.Input
            ref={input}
            value={search}
            onValueChange={onSearch}
            placeholder="Type a command or a playlist name…"
            aria-label="Command"
          />
          <Command.List aria-label="Commands">
            <Command.Empty>No matching command.</Command.Empty>
            {groups.map((group) => (
              <Command.Group key={group} heading={group}>
                {shown
                  .filter((c) => c.group === group)
                  .map((c) => (
                    <Command.Item
                      key={c.id}
                      value={c.id}
                      keywords={[c.label, ...(c.keywords ?? [])]}
                      aria-label={c.label}
                      onSelect={() => {
                        close(false)
                        c.run()
                      }}
                    >
                      <span>{c.label}</span>
                      {c.shortcut && <kbd aria-hidden="true">{c.shortcut}</kbd>}
                    </Command.Item>
                  ))}
              </Command.Group>
            ))}
          </Command.List>
        </Command>
      </div>
    </div>
  )
}

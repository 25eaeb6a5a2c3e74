/** Ctrl/Cmd+K: every action by name (cmdk), in a modal with focus kept inside. */
import { Command } from 'cmdk'
import { useEffect, useRef, type KeyboardEvent } from 'react'

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

/** The command palette dialog. */
export function CommandPalette({ commands, onClose }: CommandPaletteProps) {
  const previous = useRef<HTMLElement | null>(null)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => {
    previous.current = document.activeElement as HTMLElement | null
    input.current?.focus()
  }, [])
  const close = (restoreFocus: boolean) => {
    onClose()
    if (restoreFocus && previous.current?.isConnected) previous.current.focus()
  }
  const groups = [...new Set(commands.map((c) => c.group))]
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
        <Command label="Commands" className="palette" loop>
          <Command.Input
            ref={input}
            placeholder="Type a command or a playlist name…"
            aria-label="Command"
          />
          <Command.List aria-label="Commands">
            <Command.Empty>No matching command.</Command.Empty>
            {groups.map((group) => (
              <Command.Group key={group} heading={group}>
                {commands
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

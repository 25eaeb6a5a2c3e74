/** Ctrl/Cmd+K: every action by name (cmdk). */
import { Command } from 'cmdk'
import { useEffect, useRef } from 'react'

/** One runnable action. */
export interface PaletteCommand {
  id: string
  label: string
  group: string
  shortcut?: string
  keywords?: string[]
  run(): void
}

/** Props of {@link CommandPalette}. */
export interface CommandPaletteProps {
  commands: PaletteCommand[]
  onClose(): void
}

/** The command palette dialog. */
export function CommandPalette({ commands, onClose }: CommandPaletteProps) {
  const previous = useRef<HTMLElement | null>(null)
  useEffect(() => {
    previous.current = document.activeElement as HTMLElement | null
  }, [])
  const groups = [...new Set(commands.map((c) => c.group))]
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <Command
        label="Command palette"
        className="palette"
        role="dialog"
        aria-modal="true"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault()
            e.stopPropagation()
            onClose()
            previous.current?.focus?.()
          }
        }}
      >
        <Command.Input autoFocus placeholder="Type a command or a playlist name…" aria-label="Command" />
        <Command.List>
          <Command.Empty>No matching command.</Command.Empty>
          {groups.map((group) => (
            <Command.Group key={group} heading={group}>
              {commands
                .filter((c) => c.group === group)
                .map((c) => (
                  <Command.Item
                    key={c.id}
                    value={`${c.label} ${c.id}`}
                    keywords={c.keywords}
                    onSelect={() => {
                      onClose()
                      c.run()
                    }}
                  >
                    <span>{c.label}</span>
                    {c.shortcut && <kbd>{c.shortcut}</kbd>}
                  </Command.Item>
                ))}
            </Command.Group>
          ))}
        </Command.List>
      </Command>
    </div>
  )
}

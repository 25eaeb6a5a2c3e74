/**
 * What the static HTML shows until the engine and settings are open: the app's frame
 * and what WhatNext is, so the first paint already carries the page's main content.
 */
/** `failure`: what went wrong, as the user reads it; null while starting. */
export function Boot({ failure }: { failure: string | null }) {
  return (
    <div className="app boot" aria-busy={failure ? undefined : true}>
      <header className="topbar">
        <span className="brand">WhatNext</span>
      </header>
      <main className="boot-main">
        <h1>Your playlists, on your device</h1>
        <p className="boot-intro">
          WhatNext keeps your library in this browser — it works offline and nothing is uploaded.
          Create playlists, reorder them by drag and drop or by keyboard, search everything as you
          type, and import or export M3U, PLS, XSPF, JSPF, ASX, CSV and Markdown files. Share a link
          to edit a playlist together, live and peer to peer.
        </p>
        <p role={failure ? 'alert' : 'status'}>{failure ?? 'Opening your library…'}</p>
      </main>
    </div>
  )
}

import type { Metadata, Viewport } from 'next'
import type { ReactNode } from 'react'
import '@whatnext/ui/styles.css'

export const metadata: Metadata = {
  title: 'WhatNext',
  description: 'Curate playlists together — local-first and peer to peer.',
  manifest: '/manifest.webmanifest',
  icons: {
    icon: [{ url: '/icons/favicon-32.png', sizes: '32x32', type: 'image/png' }],
    apple: '/icons/apple-touch-icon.png',
  },
  appleWebApp: { capable: true, title: 'WhatNext', statusBarStyle: 'black-translucent' },
}

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f7f5fb' },
    { media: '(prefers-color-scheme: dark)', color: '#17121f' },
  ],
}

// Applies a saved theme before first paint so a dark-theme user never sees a white flash.
const themeScript = `try{var t=localStorage.getItem('whatnext.theme');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}`

/** The HTML shell shared by every route. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>{children}</body>
    </html>
  )
}

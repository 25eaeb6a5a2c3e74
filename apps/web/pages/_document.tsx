import { Head, Html, Main, NextScript } from 'next/document'

// Applies a saved theme before first paint so a dark-theme user never sees a white flash.
const themeScript = `try{var t=localStorage.getItem('whatnext.theme');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}`

/**
 * The HTML shell. The pages router (not the app router) because this is a static,
 * client-rendered app: it needs no server components, and its runtime is ~20 KiB gzip
 * lighter on the first load.
 */
export default function Document() {
  return (
    <Html lang="en" suppressHydrationWarning>
      <Head>
        <meta
          name="description"
          content="Curate playlists together — local-first and peer to peer."
        />
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="icon" href="/icons/favicon-32.png" sizes="32x32" type="image/png" />
        <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
        <meta name="apple-mobile-web-app-capable" content="yes" />
        <meta name="mobile-web-app-capable" content="yes" />
        <meta name="apple-mobile-web-app-title" content="WhatNext" />
        <meta name="apple-mobile-web-app-status-bar-style" content="black-translucent" />
        <meta name="theme-color" media="(prefers-color-scheme: light)" content="#f7f5fb" />
        <meta name="theme-color" media="(prefers-color-scheme: dark)" content="#17121f" />
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </Head>
      <body>
        <Main />
        <NextScript />
      </body>
    </Html>
  )
}

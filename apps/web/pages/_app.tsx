import type { AppProps } from 'next/app'
import Head from 'next/head'
import '@whatnext/ui/styles.css'

export default function WhatNextApp({ Component, pageProps }: AppProps) {
  return (
    <>
      <Head>
        <title>WhatNext</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <Component {...pageProps} />
    </>
  )
}

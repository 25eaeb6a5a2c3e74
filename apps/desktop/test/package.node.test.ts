/**
 * electron-builder configuration, for real: `electron-builder --dir` against a
 * placeholder Electron (scripts/package-dir.mjs) packs the app here; the ASAR must hold
 * the web export and the three entries, and nothing of the sources. About 10–20 s.
 */
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
let asarPath = ''
afterAll(async () => {
  if (asarPath)
    await rm(dirname(dirname(dirname(dirname(asarPath)))), { recursive: true, force: true })
})

describe('electron-builder', () => {
  it('packs the web export, main, preload and utility into the ASAR', async () => {
    const { packageDir } = (await import(join(root, 'scripts/package-dir.mjs'))) as {
      packageDir(): Promise<string>
    }
    asarPath = await packageDir()
    const asar = require('@electron/asar') as { listPackage(p: string): string[] }
    const files = asar.listPackage(asarPath).map((f) => f.replaceAll('\\', '/'))
    for (const f of [
      '/dist/main.cjs',
      '/dist/preload.cjs',
      '/dist/utility.cjs',
      '/web/index.html',
      '/package.json',
    ])
      expect(files, f).toContain(f)
    expect(files.some((f) => f.startsWith('/web/_next/static/'))).toBe(true)
    expect(files.some((f) => f.startsWith('/node_modules/electron-updater/'))).toBe(true)
    // Sources, tests, maps and the workspace packages stay out (everything is bundled).
    expect(
      files.filter(
        (f) => /\.(ts|map)$/.test(f) || f.startsWith('/src/') || f.includes('@whatnext'),
      ),
    ).toEqual([])
    const pkg = JSON.parse(asar.extractFile(asarPath, 'package.json').toString()) as {
      main: string
    }
    expect(pkg.main).toBe('dist/main.cjs')
    expect(existsSync(join(dirname(asarPath), '..', 'whatnext'))).toBe(true)
  }, 120_000)

  it('declares every installer with the whtnxt protocol and a generic feed', () => {
    const config = require(join(root, 'electron-builder.config.cjs')) as {
      linux: { target: string[]; mimeTypes: string[] }
      mac: { target: string[] }
      win: { target: string[] }
      protocols: unknown
      publish: { provider: string }[]
      electronVersion: string
      asar: boolean
    }
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.win.target).toEqual(['nsis'])
    expect(config.protocols).toEqual([{ name: 'WhatNext link', schemes: ['whtnxt'] }])
    expect(config.linux.mimeTypes).toContain('x-scheme-handler/whtnxt')
    expect(config.publish[0]!.provider).toBe('generic')
    expect(config.electronVersion).toMatch(/^\d+\.\d+\.\d+$/)
    // electron-builder refuses ranges; the two pins must agree.
    const pkg = require(join(root, 'package.json')) as { devDependencies: Record<string, string> }
    expect(pkg.devDependencies.electron).toBe(config.electronVersion)
    expect(config.asar).toBe(true)
  })

  it('flips the security fuses', () => {
    const { FUSES } = require(join(root, 'build/fuses.cjs')) as { FUSES: Record<string, boolean> }
    expect(FUSES).toMatchObject({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
    })
    const { FuseV1Options } = require('@electron/fuses') as {
      FuseV1Options: Record<string, unknown>
    }
    for (const name of Object.keys(FUSES)) expect(FuseV1Options[name], name).toBeDefined()
  })
})

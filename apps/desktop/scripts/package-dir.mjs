/**
 * Packages the app with `electron-builder --dir` against a placeholder Electron
 * (`electronDist` → an empty-ish folder with a fake binary), so the configuration, the
 * file selection and the ASAR are checked on a machine where Electron cannot be
 * downloaded. Prints the ASAR's path. Used by test/package.node.test.ts.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from './build.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Builds, packs into `outDir`, and returns the path of `app.asar`. */
export async function packageDir(outDir = mkdtempSync(join(tmpdir(), 'whatnext-pack-'))) {
  await build({ minify: true })
  const dist = join(outDir, 'electron-placeholder')
  mkdirSync(dist, { recursive: true })
  // What electron-builder copies and renames on Linux: the `electron` binary and a version.
  writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho placeholder\n')
  chmodSync(join(dist, 'electron'), 0o755)
  writeFileSync(join(dist, 'version'), '45.4.1')
  // A fresh clone has no web export until `npm run build`: a stand-in keeps the check.
  let webOut = join(root, '..', 'web', 'out')
  if (!existsSync(join(webOut, 'index.html'))) {
    webOut = join(outDir, 'web-stand-in')
    mkdirSync(join(webOut, '_next', 'static'), { recursive: true })
    writeFileSync(join(webOut, 'index.html'), '<!doctype html><title>WhatNext</title>')
    writeFileSync(join(webOut, '_next', 'static', 'stand-in.js'), '')
  }
  const bin = join(root, '..', '..', 'node_modules', '.bin', 'electron-builder')
  execFileSync(
    bin,
    [
      '--dir',
      '--linux',
      '--x64',
      '--config',
      'electron-builder.config.cjs',
      `-c.directories.output=${join(outDir, 'release')}`,
      '--publish',
      'never',
    ],
    {
      cwd: root,
      stdio: 'pipe',
      env: {
        ...process.env,
        WHATNEXT_ELECTRON_DIST: dist,
        WHATNEXT_WEB_OUT: webOut,
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
        CSC_IDENTITY_AUTO_DISCOVERY: 'false',
      },
    },
  )
  return join(outDir, 'release', 'linux-unpacked', 'resources', 'app.asar')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await packageDir())

/* global module, require */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: electron-builder loads these with require */
/**
 * electron-builder `afterPack`: flips Electron's fuses in the packed binary — no
 * ELECTRON_RUN_AS_NODE, no NODE_OPTIONS or --inspect, cookies encrypted, the ASAR's
 * integrity checked, and the app loaded only from the ASAR. Skipped (with a note) when
 * the packed "Electron" is a placeholder without a real binary (tests).
 */
const { existsSync, statSync } = require('node:fs')
const { join } = require('node:path')

/** The fuses set, also read by the tests and SECURITY.md. */
const FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
}

function binaryOf(context) {
  const name = context.packager.appInfo.productFilename
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${name}.app`)
    case 'win32':
      return join(context.appOutDir, `${name}.exe`)
    default:
      return join(context.appOutDir, context.packager.executableName)
  }
}

module.exports = async function afterPack(context) {
  const binary = binaryOf(context)
  // A placeholder Electron (tests) has no binary worth patching.
  if (!existsSync(binary) || (statSync(binary).isFile() && statSync(binary).size < 1024 * 1024)) {
    console.log(`fuses: skipped, ${binary} is not a real Electron binary`)
    return
  }
  const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses')
  const options = {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin',
  }
  for (const [name, value] of Object.entries(FUSES)) options[FuseV1Options[name]] = value
  await flipFuses(binary, options)
}
module.exports.FUSES = FUSES

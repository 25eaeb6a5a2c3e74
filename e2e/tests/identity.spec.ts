import { expect, test, type Page } from '@playwright/test'
import { LibraryPage } from './support/library-page'

async function peerIdOf(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  const id = page.getByRole('dialog', { name: 'Settings' }).getByTestId('peer-id')
  await expect(id).toHaveText(/^12D3KooW[1-9A-HJ-NP-Za-km-z]{44,}$/)
  const text = (await id.textContent())!
  await page.keyboard.press('Escape')
  return text
}

test('an identity is made on first start and kept: one peer id across tabs and reloads', async ({
  context,
}) => {
  // Two tabs open at once on a fresh profile must agree on one identity.
  const [a, b] = [
    new LibraryPage(await context.newPage()),
    new LibraryPage(await context.newPage()),
  ]
  await Promise.all([a.open(), b.open()])
  const first = await peerIdOf(a.page)
  expect(await peerIdOf(b.page)).toBe(first)

  await a.page.reload()
  await a.ready()
  expect(await peerIdOf(a.page)).toBe(first)

  // The private key is stored encrypted: the settings database holds no readable key.
  const stored = await a.page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '')
    const dumps: string[] = []
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name)
        open.onsuccess = () => resolve(open.result)
        open.onerror = () => reject(open.error)
      })
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll()
          req.onsuccess = () => resolve(req.result)
          req.onerror = () => reject(req.error)
        })
        dumps.push(
          JSON.stringify(all, (_k, v: unknown) =>
            v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? '[bytes]' : v,
          ),
        )
      }
      db.close()
    }
    return dumps.join('\n')
  })
  expect(stored).toContain('identity')
  // An Ed25519 libp2p private key in protobuf starts with 08 01 12 40: base64 "CAESQ".
  expect(stored).not.toContain('CAESQ')
})

/** Dumps the settings database's state and backups as text (to search for plaintext). */
export function idbRaw(factory: IDBFactory, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name)
    request.onerror = () => reject(request.error)
    request.onsuccess = () => {
      const db = request.result
      const tx = db.transaction(['state', 'backups'])
      const all = [tx.objectStore('state').getAll(), tx.objectStore('backups').getAll()]
      tx.oncomplete = () => {
        db.close()
        resolve(JSON.stringify(all.map((r) => r.result as unknown)))
      }
      tx.onerror = () => reject(tx.error)
    }
  })
}

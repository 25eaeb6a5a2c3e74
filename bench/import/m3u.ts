/** A #EXTINF M3U of `count` tracks (`Artist i - Track i`, 200 s, `/music/i.mp3`). */
export function extinfM3u(count: number): string {
  const lines = ['#EXTM3U', '#PLAYLIST:Bench 10k']
  for (let i = 1; i <= count; i++)
    lines.push(`#EXTINF:${180 + (i % 120)},Artist ${i} - Track ${i}`, `/music/${i}.mp3`)
  return `${lines.join('\n')}\n`
}

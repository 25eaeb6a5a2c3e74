import { Main } from '../src/Main'

/** The library: a static shell; everything else starts in the browser. */
export default function Page() {
  return <Main />
}

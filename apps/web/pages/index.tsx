import { MainLoader } from '../src/MainLoader'

/** The library: a static shell; everything else starts in the browser. */
export default function Page() {
  return <MainLoader />
}

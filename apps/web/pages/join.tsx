import { MainLoader } from '../src/MainLoader'

/**
 * `/join#<token>`: a share link opened in the browser. The same app as `/`; the token
 * stays in the fragment, which browsers never send to a server.
 */
export default function JoinPage() {
  return <MainLoader />
}

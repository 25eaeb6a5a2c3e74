#!/usr/bin/env node
// Runs on Node 22+ (type stripping, Promise.withResolvers): `npm run relay` picks the
// workspace's Node. See src/relay/cli.ts for flags.
import { main } from '../src/relay/cli.ts'

await main()

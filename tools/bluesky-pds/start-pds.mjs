// Starts a PLC directory and a PDS in this process, creates one account with an app password,
// prints one JSON line with what the tests need, and runs until stdin closes or SIGTERM.
import { AtpAgent } from '@atproto/api'
import { TestNetworkNoAppView } from '@atproto/dev-env'

const port = Number(process.argv[2] || 0) || undefined
const network = await TestNetworkNoAppView.create({ pds: { port } })
const seed = network.getSeedClient()
const account = await seed.createAccount('alice', {
  handle: 'alice.test', email: 'alice@test.invalid', password: 'alice-password',
})
const agent = new AtpAgent({ service: network.pds.url })
await agent.login({ identifier: 'alice.test', password: 'alice-password' })
const appPassword = await agent.com.atproto.server.createAppPassword({ name: 'ambassade' })
console.log(JSON.stringify({
  pds_url: network.pds.url, did: account.did, handle: 'alice.test',
  app_password: appPassword.data.password,
}))
const stop = async () => { await network.close(); process.exit(0) }
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.stdin.on('end', stop)
process.stdin.resume()

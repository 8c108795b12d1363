import { randomBytes, scryptSync } from 'node:crypto'
import t from 'tap'
import { hashPassword, verifyPassword } from '../../domain/passwords'

t.test('new hashes carry their parameters: scrypt N=2^13, r=8, p=10', async (t) => {
  const hash = await hashPassword('correct horse battery')
  t.match(hash, /^scrypt\$8192\$8\$10\$[\w-]{22}\$[\w-]{86}$/)
  t.ok(await verifyPassword('correct horse battery', hash))
  t.notOk(await verifyPassword('correct horse batterY', hash))
})

t.test('a hash made with the former N=2^15, r=8, p=1 still verifies', async (t) => {
  const salt = randomBytes(16)
  const key = scryptSync('correct horse battery'.normalize('NFC'), salt, 64, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 })
  const former = ['scrypt', 2 ** 15, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$')
  t.ok(await verifyPassword('correct horse battery', former))
  t.notOk(await verifyPassword('correct horse battery ', former))
  t.notOk(await verifyPassword('anything', null), 'no hash (an account of GitHub sign-in only) verifies nothing')
})

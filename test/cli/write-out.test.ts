import { Readable, Writable } from 'node:stream'
import t from 'tap'
import { writeOut } from '../../commands/write-out'

/** A target that takes `accepting` chunks, then fails as a closed pipe (or another way) would. */
function target (accepting: number, code: string) {
  const taken: string[] = []
  const stream = new Writable({
    write (chunk: Buffer, _encoding, done) {
      if (taken.length >= accepting) done(Object.assign(new Error(`write ${code}`), { code }))
      else {
        taken.push(chunk.toString())
        done()
      }
    }
  })
  return { stream, taken }
}

t.test('a command\'s output goes out whole, from a string or a stream', async (t) => {
  const whole = target(Infinity, 'EPIPE')
  await writeOut('the notices\n', whole.stream)
  t.same(whole.taken, ['the notices\n'])
  const streamed = target(Infinity, 'EPIPE')
  await writeOut(Readable.from(['a,b\n', '1,2\n']), streamed.stream)
  t.same(streamed.taken, ['a,b\n', '1,2\n'])
})

t.test('a reader that has read enough (| head) stops the command quietly; other failures are failures', async (t) => {
  const head = target(1, 'EPIPE')
  await writeOut(Readable.from(['first\n', 'second\n', 'third\n']), head.stream)
  t.same(head.taken, ['first\n'], 'what was read, and no error')
  const full = target(1, 'ENOSPC')
  await t.rejects(writeOut(Readable.from(['first\n', 'second\n']), full.stream), { code: 'ENOSPC' }, 'a full disk is not hidden')
})

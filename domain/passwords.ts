import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { availableParallelism } from 'node:os'

/**
 * scrypt at N=2^13, r=8, p=10: one of OWASP's equivalent minimum settings (Password Storage Cheat
 * Sheet), about 130 ms here. It holds 8 MiB while it runs; the former N=2^15, p=1 held 32 MiB, and
 * a burst of logins was then the largest part of the server's peak memory. Hashes made with those
 * still verify: the parameters travel with each hash.
 */
const SCRYPT = { N: 2 ** 13, r: 8, p: 10, keyLength: 64 }

/**
 * libuv would run four derivations at once; more at once than cores gain no logins per second
 * and only hold more memory, so the others wait their turn here.
 */
const DERIVATIONS_AT_ONCE = Math.min(4, availableParallelism())
let deriving = 0
const waiting: Array<() => void> = []

async function derive (password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  if (deriving >= DERIVATIONS_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve))
  else deriving++
  try {
    return await new Promise((resolve, reject) => {
      scrypt(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: 256 * 1024 * 1024 },
        (error, key) => (error ? reject(error) : resolve(key)))
    })
  } finally {
    // The turn passes to the next in line, or the place is freed.
    const next = waiting.shift()
    if (next) next()
    else deriving--
  }
}

/** `scrypt$N$r$p$salt$key`: the parameters travel with the hash, so they can be raised later. */
export async function hashPassword (password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, SCRYPT.keyLength, SCRYPT)
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword (password: string, stored: string | null): Promise<boolean> {
  const [scheme, N, r, p, salt, key] = stored?.split('$') ?? []
  if (scheme !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(N), r: Number(r), p: Number(p) })
  return timingSafeEqual(actual, expected)
}

type Strength = (password: string, personal: string[]) => { score: number, feedback: { warning: string | null } }

/** Why a password is refused, in words, by the warning zxcvbn gives. */
const WEAKNESSES: Record<string, string> = {
  topTen: 'is one of the most common passwords',
  topHundred: 'is one of the most common passwords',
  common: 'is one of the most common passwords',
  similarToCommon: 'is too close to one of the most common passwords',
  userInputs: 'contains your email, name or organization',
  simpleRepeat: 'repeats one character or a short pattern',
  extendedRepeat: 'repeats one character or a short pattern',
  sequences: 'is a sequence such as abcd or 1234',
  straightRow: 'is a row of keys on the keyboard',
  keyPattern: 'is a pattern of keys on the keyboard',
  dates: 'is a date',
  recentYears: 'is a recent year'
}

/** zxcvbn's score 2 of 4: about 10^8 guesses, out of reach of guessing over the rate-limited API. */
const MINIMUM_SCORE = 2

let strength: Promise<Strength> | undefined

// Loaded on first use: its dictionaries are no part of what the server needs at start.
async function loadStrength (): Promise<Strength> {
  const [{ ZxcvbnFactory }, common] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')])
  const factory = new ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs })
  return (password, personal) => factory.check(password, personal)
}

/**
 * Why a new password is too weak, or undefined when it is strong enough: the most common
 * passwords, repeats, sequences, keyboard rows, and anything built from the person's own email,
 * name or organization (`personal`) are refused.
 */
export async function passwordWeakness (password: string, personal: Array<string | null | undefined>): Promise<string | undefined> {
  strength ??= loadStrength()
  const inputs = personal.filter((input): input is string => Boolean(input)).flatMap((input) => [input, ...input.split(/[@.\s]+/)])
  const { score, feedback } = (await strength)(password, inputs)
  if (score >= MINIMUM_SCORE) return undefined
  return `password ${WEAKNESSES[feedback.warning ?? ''] ?? 'is too easy to guess'}: choose a longer one, a few unrelated words work well`
}

import type { RequestStatus } from '../../db/schema'
import { conflict, invalid } from '../errors'

/**
 * The rules of mentee requests, decided without the database: what a request reads as at a moment,
 * when it expires, whether a mentee may ask a mentor, which rank a request takes, whether it can
 * still be answered. The module reads the rows these need, asks here, and writes the answer.
 */

/** A mentee asks at most this many mentors at once. */
export const MAX_OPEN_REQUESTS = 3

const DAY_MS = 24 * 60 * 60 * 1000

export interface Standing {
  id: number
  mentor_id: number
  rank: number
  status: RequestStatus
  expires_at: string
}

/** The moment a request made at `created` stops waiting: `days` whole days later. */
export const expiryOf = (created: Date, days: number): string => new Date(created.getTime() + days * DAY_MS).toISOString()

/** An OPEN request whose moment has come reads as EXPIRED, whether or not the job has written it yet. */
export const statusAt = (request: Pick<Standing, 'status' | 'expires_at'>, now: string): RequestStatus =>
  request.status === 'OPEN' && request.expires_at <= now ? 'EXPIRED' : request.status

/** Only an OPEN request is accepted, declined or withdrawn. */
export function refuseToAnswer (request: Pick<Standing, 'id' | 'status' | 'expires_at'>, now: string): void {
  const status = statusAt(request, now)
  if (status !== 'OPEN') throw conflict(`The request (id ${request.id}) is ${status}: only an OPEN request can be answered or withdrawn`)
}

/** `open`: the mentee's requests that are still OPEN (their overdue ones already written EXPIRED). */
export function refuseToAsk (open: Standing[], mentorId: number): void {
  const same = open.find((request) => request.mentor_id === mentorId)
  if (same) throw conflict(`You already have an open request to this mentor (id ${same.id})`)
  if (open.length >= MAX_OPEN_REQUESTS) {
    throw conflict(`You already have ${open.length} open requests, the most a mentee may have at once: withdraw one or wait for an answer`)
  }
}

export interface RankQuestion {
  /** The rank the mentee sent, if any. */
  asked: number | undefined
  mentorId: number
  /** The mentee's `wanted_mentor_id`: their first choice. */
  wantedMentorId: number | null
  open: Standing[]
}

/**
 * A request's rank is the mentee's order of preference among their open requests, 1 to 3, each
 * rank held by one open request at most. The wanted mentor (`wanted_mentor_id`) is the first choice:
 * a request to them is rank 1, and while a mentee has one, rank 1 is kept for them, so requests to
 * other mentors take 2 and 3. A rank left out is the lowest one free.
 */
export function rankFor ({ asked, mentorId, wantedMentorId, open }: RankQuestion): number {
  const holder = (rank: number) => open.find((request) => request.rank === rank)
  const refuseHeld = (rank: number) => {
    const held = holder(rank)
    if (held) throw conflict(`rank ${rank} is held by your open request to mentor ${held.mentor_id} (id ${held.id}): choose another rank or withdraw that request`)
  }
  if (mentorId === wantedMentorId) {
    if (asked !== undefined && asked !== 1) throw invalid('rank: a request to your wanted mentor (wanted_mentor_id) is your first choice, rank 1')
    refuseHeld(1)
    return 1
  }
  const kept = (rank: number) => wantedMentorId !== null && rank === 1
  if (asked !== undefined) {
    if (kept(asked)) throw invalid(`rank: 1 is kept for your wanted mentor (wanted_mentor_id ${wantedMentorId})`)
    refuseHeld(asked)
    return asked
  }
  const free = [1, 2, 3].find((rank) => !kept(rank) && !holder(rank))
  if (free === undefined) {
    throw conflict(`Every rank is taken: rank 1 is kept for your wanted mentor (wanted_mentor_id ${wantedMentorId}) and your open requests hold the others`)
  }
  return free
}

import type { matches, ProfileStatus } from '../../db/schema'
import { conflict, invalid } from '../errors'
import { MATCH_MESSAGES } from './messages'

/**
 * What a change of a match means, decided without the database: which sides it takes and frees,
 * whether it may, which profile statuses follow, and who is told what. The lifecycle reads the
 * rows these need, asks here, and writes the answer.
 */

type Match = typeof matches.$inferSelect

/** The part of a match that decides places, statuses and who is told what. */
export type Standing = Pick<Match, 'organization_id' | 'mentor_id' | 'mentee_id' | 'status' | 'deleted'>

/** A match takes a place of its mentor and holds its mentee while it is ACTIVE and not deleted. */
export const holdsPlace = (match: Standing): boolean => match.status === 'ACTIVE' && !match.deleted

export interface Profile {
  id: number
  organization_id: number
  user_id: number
  status: ProfileStatus
}

export interface MentorProfile extends Profile {
  capacity: number
}

/** A profile as a change finds it: `active` live matches held it before the change. */
export interface Loaded<P extends Profile> {
  profile: P
  active: number
}

export type Side = 'mentor' | 'mentee'

/** The profiles a change takes (it holds them after and did not before) and frees (the reverse). */
export interface Moves {
  takesMentor: boolean
  takesMentee: boolean
  freesMentor: boolean
  freesMentee: boolean
}

/** `before` undefined: the match is new. */
export function movesOf (before: Standing | undefined, after: Standing): Moves {
  const held = before !== undefined && holdsPlace(before)
  const holds = holdsPlace(after)
  const newMentor = before !== undefined && before.mentor_id !== after.mentor_id
  const newMentee = before !== undefined && before.mentee_id !== after.mentee_id
  return {
    takesMentor: holds && (!held || newMentor),
    takesMentee: holds && (!held || newMentee),
    freesMentor: held && (!holds || newMentor),
    freesMentee: held && (!holds || newMentee)
  }
}

/** Only an ADMINISTRATOR, who sees every organization, could pair profiles of two of them. */
export function refuseForeign (profile: Profile, side: Side, organizationId: number): void {
  if (profile.organization_id !== organizationId) {
    throw invalid(`${side}_id names a profile of another organization than the match's`)
  }
}

export function refuseSelf (mentor: Profile, mentee: Profile): void {
  if (mentor.user_id === mentee.user_id) throw invalid('mentee_id: a person cannot be matched with themself')
}

/** `activePairId`: an ACTIVE match of the same two profiles, other than the one changing. */
export function refuseActivePair (activePairId: number | null): void {
  if (activePairId !== null) throw conflict(`This mentor and mentee are already in an ACTIVE match (id ${activePairId})`)
}

export function refuseToTakeMentee ({ profile }: Loaded<Profile>): void {
  if (profile.status !== 'AVAILABLE') {
    throw conflict(`The mentee (id ${profile.id}) is ${profile.status}: only an AVAILABLE mentee can be matched`)
  }
}

export function refuseToTakeMentor ({ profile, active }: Loaded<MentorProfile>): void {
  if (profile.status !== 'AVAILABLE') {
    throw conflict(`The mentor (id ${profile.id}) is ${profile.status}: only an AVAILABLE mentor can be matched`)
  }
  if (active >= profile.capacity) {
    throw conflict(`The mentor (id ${profile.id}) has no free capacity: ${active} active matches of a capacity of ${profile.capacity}`)
  }
}

/**
 * The status a profile moves to when a change takes or frees it, or undefined when it stays.
 * A mentee in a live match is UNAVAILABLE, a mentor once its live matches fill its capacity; both
 * become AVAILABLE again when freed. A PENDING profile is never touched, nor one staff paused by hand
 * while matches still hold it.
 */
export function statusAfter (side: Side, move: 'takes' | 'frees', { profile, active }: Loaded<Profile | MentorProfile>): ProfileStatus | undefined {
  const activeAfter = move === 'takes' ? active + 1 : active - 1
  const capacity = side === 'mentor' ? (profile as MentorProfile).capacity : 1
  if (move === 'takes') return profile.status === 'AVAILABLE' && activeAfter >= capacity ? 'UNAVAILABLE' : undefined
  const free = side === 'mentor' ? activeAfter < capacity : activeAfter === 0
  return profile.status === 'UNAVAILABLE' && free ? 'AVAILABLE' : undefined
}

export interface Notice { side: Side, profileId: number, content: string }

/**
 * Who is told what when a match goes from `before` (undefined: it is new) to `after`. Someone added
 * to a live match hears they were matched, someone taken out that it was removed, and the one who
 * stays that their partner changed.
 */
export function noticesFor (before: Standing | undefined, after: Standing): Notice[] {
  const both = (from: Standing, mentorText: string, menteeText = mentorText): Notice[] => [
    { side: 'mentor', profileId: from.mentor_id, content: mentorText },
    { side: 'mentee', profileId: from.mentee_id, content: menteeText }
  ]
  if (before && !before.deleted && after.deleted) return both(before, MATCH_MESSAGES.removed)
  const held = before !== undefined && holdsPlace(before)
  const holds = holdsPlace(after)
  if (!held && holds) return both(after, MATCH_MESSAGES.matchedWithMentee, MATCH_MESSAGES.matchedWithMentor)
  if (held && !holds) {
    return both(before, after.status === 'COMPLETED' ? MATCH_MESSAGES.completed : MATCH_MESSAGES.cancelled)
  }
  if (!held || !holds) return []

  const notices: Notice[] = []
  const newMentor = before.mentor_id !== after.mentor_id
  const newMentee = before.mentee_id !== after.mentee_id
  if (newMentor) {
    notices.push({ side: 'mentor', profileId: before.mentor_id, content: MATCH_MESSAGES.removed })
    notices.push({ side: 'mentor', profileId: after.mentor_id, content: MATCH_MESSAGES.matchedWithMentee })
    if (!newMentee) notices.push({ side: 'mentee', profileId: after.mentee_id, content: MATCH_MESSAGES.newMentor })
  }
  if (newMentee) {
    notices.push({ side: 'mentee', profileId: before.mentee_id, content: MATCH_MESSAGES.removed })
    notices.push({ side: 'mentee', profileId: after.mentee_id, content: MATCH_MESSAGES.matchedWithMentor })
    if (!newMentor) notices.push({ side: 'mentor', profileId: after.mentor_id, content: MATCH_MESSAGES.newMentee })
  }
  return notices
}

import { eq, inArray, type SQL } from 'drizzle-orm'
import { matches, meetings } from '../db/schema'
import type { Caller, User } from './caller'
import { MEETING_MESSAGES } from './matches/messages'
import { notify } from './notifications'
import { utc } from './dates'
import { conflict, forbidden, invalid } from './errors'
import type { Matches } from './matches'
import { isSelf, isStaff, type MatchParties, seesDeleted } from './policy'
import { immediately, type Page, type Store } from './tenancy'

export type Meeting = typeof meetings.$inferSelect

export interface MeetingDetails {
  location?: string
  notes?: string | null
  rating?: number | null
}

export interface MeetingQuery extends Page {
  include_deleted?: boolean
  match_id?: number
}

/** The meetings of a match: its mentor and mentee, and staff, record and keep them. */
export function createMeetings (store: Store, matchRules: Matches) {
  const { db, tables } = store

  /**
   * Tells the people of a match what one of them (or staff) did to its meeting: the other party
   * when the mentor or the mentee did it, both when staff did; each about their partner.
   */
  function tellParties (caller: Caller, match: { id: number, organization_id: number } & MatchParties, content: string): void {
    const { mentorUserId, menteeUserId } = match
    const recipientsAndPartners: Array<[number, number]> = [[mentorUserId, menteeUserId], [menteeUserId, mentorUserId]]
    notify(store, recipientsAndPartners
      .filter(([recipient]) => !isSelf(caller, recipient))
      .map(([recipient, partner]) => ({ organization_id: match.organization_id, user_id: recipient, content, match_id: match.id, about_user_id: partner })))
  }

  /** What a caller who is not staff may list: the meetings of their own matches. */
  const meetingsOf = (user: User): SQL =>
    inArray(meetings.match_id, db.select({ id: matches.id }).from(matches).where(matchRules.matchesOf(user)))

  /** The meeting and the people of its match, once the caller is known to be staff or one of them. */
  function meetingFor (caller: Caller, id: number, includeDeleted = false): { meeting: Meeting, parties: MatchParties } {
    const meeting = tables.meetings.get(caller.scope, id, includeDeleted)
    const parties = matchRules.partiesTo(meeting.match_id)
    matchRules.mayActOn(caller, parties)
    return { meeting, parties }
  }

  return {
    list (caller: Caller, { match_id, include_deleted, ...page }: MeetingQuery) {
      return tables.meetings.list(caller.scope, {
        ...page,
        includeDeleted: seesDeleted(caller, include_deleted),
        where: [
          isStaff(caller) ? undefined : meetingsOf(caller.user),
          match_id ? eq(meetings.match_id, match_id) : undefined
        ]
      })
    },

    get (caller: Caller, id: number, includeDeleted?: boolean): Meeting {
      return meetingFor(caller, id, seesDeleted(caller, includeDeleted)).meeting
    },

    create (caller: Caller, { match_id, meeting_date, ...details }: MeetingDetails & { match_id: number, meeting_date: string, location: string }): Meeting {
      // The match is read in the transaction that writes: a match cancelled meanwhile gets no meeting.
      return immediately(store, () => {
        const match = matchRules.withParties(caller, match_id)
        if (!match) throw invalid('match_id does not name a match of your organization')
        matchRules.mayActOn(caller, match)
        if (match.status === 'CANCELLED') throw conflict('The match is CANCELLED: no meeting can be added to it')
        const meeting = tables.meetings.insert(caller.scope, {
          ...details,
          organization_id: match.organization_id,
          match_id: match.id,
          meeting_date: utc(meeting_date)
        })
        tellParties(caller, match, MEETING_MESSAGES.recorded)
        return meeting
      })
    },

    update (caller: Caller, id: number, { meeting_date, deleted, ...details }: MeetingDetails & { meeting_date?: string, deleted?: boolean }): Meeting {
      return immediately(store, () => {
        const { meeting, parties } = meetingFor(caller, id, deleted === false && seesDeleted(caller, true))
        if (deleted !== undefined && deleted !== meeting.deleted && !isStaff(caller)) {
          throw forbidden('Only staff delete or restore meetings this way')
        }
        const updated = tables.meetings.update(caller.scope, meeting.id, {
          ...details,
          deleted,
          meeting_date: meeting_date === undefined ? undefined : utc(meeting_date)
        })
        // A rating given or changed tells the other party; one cleared (null) tells nobody.
        if (details.rating != null && details.rating !== meeting.rating) {
          tellParties(caller, { id: updated.match_id, organization_id: updated.organization_id, ...parties }, MEETING_MESSAGES.rated)
        }
        return updated
      })
    },

    softDelete (caller: Caller, id: number): Meeting {
      return tables.meetings.softDelete(caller.scope, id, (meeting) => matchRules.mayActOn(caller, matchRules.partiesTo(meeting.match_id)))
    },

    erase (caller: Caller, id: number): void {
      immediately(store, () => tables.meetings.remove(caller.scope, meetingFor(caller, id, seesDeleted(caller, true)).meeting.id))
    }
  }
}

export type Meetings = ReturnType<typeof createMeetings>

import type { Caller } from './caller'
import { forbidden } from './errors'
import { isStaff } from './policy'
import { perScope, type Store } from './tenancy'

export interface Dashboard {
  mentees_waiting: number
  mentors_with_room: number
  free_places: number
  active_matches: number
  meetings_last_30_days: number
  average_rating: number | null
  pending_approvals: number
  /** The last `weeks` weeks, oldest first: matches started and meetings held in each. */
  weeks: Array<{ week_start: string, matches: number, meetings: number }>
}

const DAY_MS = 24 * 60 * 60 * 1000
export const DASHBOARD_WEEKS = 8

/**
 * What staff look at first: who waits, who has room, what is going on. Counted with the rules the
 * matching uses (a place is held by an ACTIVE, not deleted match), in one organization, or in every
 * one for the ADMINISTRATOR.
 */
export function createDashboard ({ db }: Store) {
  const sqlite = db.$client
  const holding = (column: string, profile: string) =>
    `(SELECT count(*) FROM matches m WHERE m.${column} = ${profile} AND m.status = 'ACTIVE' AND m.deleted = 0)`
  /** The statements of one kind of scope: `inScope(t)` keeps table `t` to it. */
  const statementsOf = (inScope: (table: string) => string) => {
    const perWeek = (table: string, moment: string) => sqlite.prepare<{ since: string, org?: number }, { day: number, total: number }>(`
      SELECT CAST((julianday(${moment}) - julianday(:since)) / 7 AS INTEGER) AS day, count(*) AS total
      FROM ${table} t WHERE ${inScope('t')} AND t.deleted = 0 AND ${moment} >= :since GROUP BY 1`)
    return {
      figures: sqlite.prepare<{ since: string, org?: number }, Omit<Dashboard, 'weeks'>>(`
        SELECT
          (SELECT count(*) FROM mentees e WHERE ${inScope('e')} AND e.deleted = 0 AND e.status = 'AVAILABLE' AND ${holding('mentee_id', 'e.id')} = 0) AS mentees_waiting,
          (SELECT count(*) FROM mentors r WHERE ${inScope('r')} AND r.deleted = 0 AND r.status = 'AVAILABLE' AND ${holding('mentor_id', 'r.id')} < r.capacity) AS mentors_with_room,
          (SELECT coalesce(sum(r.capacity - ${holding('mentor_id', 'r.id')}), 0) FROM mentors r WHERE ${inScope('r')} AND r.deleted = 0 AND r.status = 'AVAILABLE' AND ${holding('mentor_id', 'r.id')} < r.capacity) AS free_places,
          (SELECT count(*) FROM matches m WHERE ${inScope('m')} AND m.deleted = 0 AND m.status = 'ACTIVE') AS active_matches,
          (SELECT count(*) FROM meetings g WHERE ${inScope('g')} AND g.deleted = 0 AND g.meeting_date >= :since) AS meetings_last_30_days,
          (SELECT round(avg(g.rating), 2) FROM meetings g WHERE ${inScope('g')} AND g.deleted = 0 AND g.rating IS NOT NULL) AS average_rating,
          (SELECT count(*) FROM mentors r WHERE ${inScope('r')} AND r.deleted = 0 AND r.status = 'PENDING')
            + (SELECT count(*) FROM mentees e WHERE ${inScope('e')} AND e.deleted = 0 AND e.status = 'PENDING') AS pending_approvals`),
      matchesPerWeek: perWeek('matches', 'coalesce(t.start_date, t.created_at)'),
      meetingsPerWeek: perWeek('meetings', 't.meeting_date')
    }
  }
  const statementsFor = perScope((withinOrganization) =>
    statementsOf(withinOrganization ? (table) => `${table}.organization_id = :org` : () => '1'))

  return {
    /** The figures of the dashboard, as of `at`. */
    of (caller: Caller, at = new Date()): Dashboard {
      if (!isStaff(caller)) throw forbidden()
      const org = caller.scope.organizationId
      const today = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())
      const firstWeek = new Date(today - (DASHBOARD_WEEKS * 7 - 1) * DAY_MS).toISOString()
      const weeks = Array.from({ length: DASHBOARD_WEEKS }, (_, index) => ({
        week_start: new Date(Date.parse(firstWeek) + index * 7 * DAY_MS).toISOString().slice(0, 10),
        matches: 0,
        meetings: 0
      }))
      const { figures, matchesPerWeek, meetingsPerWeek } = statementsFor(caller.scope)
      const inOrganization = org === null ? {} : { org }
      for (const { day, total } of matchesPerWeek.all({ ...inOrganization, since: firstWeek })) if (weeks[day]) weeks[day].matches = total
      for (const { day, total } of meetingsPerWeek.all({ ...inOrganization, since: firstWeek })) if (weeks[day]) weeks[day].meetings = total
      return { ...figures.get({ ...inOrganization, since: new Date(at.getTime() - 30 * DAY_MS).toISOString() })!, weeks }
    }
  }
}

export type Dashboards = ReturnType<typeof createDashboard>

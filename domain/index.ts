import type { Db } from '../db/connection'
import { createAccounts } from './accounts'
import { createDashboard } from './dashboard'
import { createExperiences } from './experiences'
import { createInvitations, type InvitationSettings } from './invitations'
import { createMatches } from './matches'
import { createMatching } from './matching'
import { createMeetings } from './meetings'
import { createNotifications } from './notifications'
import { createOrganizations } from './organizations'
import { createMentees, createMentors } from './profiles'
import { createTables, type Store } from './tenancy'
import { createUsers } from './users'

export type DomainSettings = InvitationSettings

/**
 * MentorMatchr's rules, built once per database: every module prepares its statements here, and
 * the API, the pages and the CLI all call the same ones. Nothing in here knows about HTTP.
 */
export function createDomain (db: Db, settings: DomainSettings) {
  const store: Store = { db, tables: createTables(db) }
  const invitations = createInvitations(store, settings)
  const matches = createMatches(store)
  return {
    tables: store.tables,
    accounts: createAccounts(store, invitations),
    users: createUsers(store),
    organizations: createOrganizations(store),
    mentors: createMentors(store, matches),
    mentees: createMentees(store, matches),
    experiences: createExperiences(store),
    matches,
    matching: createMatching(store, matches),
    meetings: createMeetings(store, matches),
    notifications: createNotifications(store),
    invitations,
    dashboard: createDashboard(store)
  }
}

export type Domain = ReturnType<typeof createDomain>

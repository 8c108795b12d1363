import type { Db } from '../db/connection'
import { type Clock, systemClock } from './clock'
import { createAccounts } from './accounts'
import { createEmail, type EmailSettings } from './email'
import { createDashboard } from './dashboard'
import { createExperiences } from './experiences'
import { createHealth } from './health'
import { createExports, type Reader } from './exports'
import { createInvitations, type InvitationSettings } from './invitations'
import { createJobs } from './jobs'
import type { JobLog } from './jobs/matches'
import { createMatches } from './matches'
import { createMatching } from './matching'
import { createMeetings } from './meetings'
import { createNotifications } from './notifications'
import { createOrganizations } from './organizations'
import { createMentees, createMentors } from './profiles'
import { createRequests, matchesClosingRequests } from './requests'
import { createTables, type Store } from './tenancy'
import { createUsers } from './users'

export interface DomainSettings extends InvitationSettings, Pick<EmailSettings, 'secret'> {
  /** The system's time unless a test brings its own. */
  clock?: Clock
  /** A connection for long reads beside the app's own (the exports). */
  openReader: () => Reader
  /** This server's own address (http://HOST:PORT), for links in emails when APP_URL is unset. */
  serverUrl: string
  log: InvitationSettings['log'] & EmailSettings['log'] & JobLog
}

/**
 * MentorMatchr's rules, built once per database: every module prepares its statements here, and
 * the API, the pages and the CLI all call the same ones. Nothing in here knows about HTTP.
 */
export function createDomain (db: Db, settings: DomainSettings) {
  const store: Store = { db, tables: createTables(db), clock: settings.clock ?? systemClock }
  const email = createEmail(store, { ...settings, linkBase: settings.appUrl ?? settings.serverUrl })
  store.outbox = email.outbox
  const modules = { ...createModules(store, settings), email }
  return { ...modules, jobs: createJobs(store, modules, settings.log) }
}

/** Every module of the rules but email; the scheduled jobs are built from them and email. */
function createModules (store: Store, settings: DomainSettings) {
  const invitations = createInvitations(store, settings)
  const lifecycle = createMatches(store)
  // What staff call: a match they make closes the mentee's open requests, as accepting one does.
  const matches = matchesClosingRequests(store, lifecycle)
  return {
    tables: store.tables,
    accounts: createAccounts(store, invitations),
    users: createUsers(store),
    organizations: createOrganizations(store),
    mentors: createMentors(store, lifecycle),
    mentees: createMentees(store, lifecycle),
    experiences: createExperiences(store),
    matches,
    matching: createMatching(store, matches),
    meetings: createMeetings(store, lifecycle),
    notifications: createNotifications(store),
    requests: createRequests(store, lifecycle),
    invitations,
    exports: createExports(settings.openReader),
    dashboard: createDashboard(store),
    health: createHealth(store)
  }
}

export type Domain = ReturnType<typeof createDomain>

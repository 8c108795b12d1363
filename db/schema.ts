import { sql } from 'drizzle-orm'
import { type AnySQLiteColumn, check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const now = () => new Date().toISOString()

/** Every record carries its own timestamps, written by the application in ISO 8601 UTC. */
const timestamps = {
  created_at: text().notNull().$defaultFn(now),
  updated_at: text().notNull().$defaultFn(now).$onUpdateFn(now)
}

const deleted = integer({ mode: 'boolean' }).notNull().default(false)

/**
 * Serves a table's lists: an organization's live rows newest first (Table.list orders by created_at,
 * then id, which every index carries after its columns), so a page reads its rows in order and
 * stops, and the total is counted in the index. A staff list that includes deleted rows reads the
 * live and the deleted ones each in order, and merges them.
 *
 * The ADMINISTRATOR's lists, across organizations, walk the second in order. It holds the live rows
 * only, so no other query can take it for a search on `deleted = 0`: an index led by `deleted` was
 * chosen over the user's own index by the mentor read of every new match, which then walked every
 * live experience of the installation.
 */
const listOrder = (tableName: string, table: { organization_id: AnySQLiteColumn, deleted: AnySQLiteColumn, created_at: AnySQLiteColumn }) => [
  index(`${tableName}_list_idx`).on(table.organization_id, table.deleted, table.created_at),
  index(`${tableName}_admin_list_idx`).on(table.created_at).where(sql`${table.deleted} = 0`)
]

export const ROLES = ['ADMINISTRATOR', 'OWNER', 'MANAGER', 'MENTOR', 'MENTEE', 'USER'] as const
export type Role = (typeof ROLES)[number]

/** How much each part of a pair's fit counts in matching; any left out keeps its default. */
export interface MatchingWeights {
  interests?: number
  experiences?: number
  wanted_mentor?: number
  location?: number
  load_balance?: number
}

export const organizations = sqliteTable('organizations', {
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull().unique(),
  description: text(),
  logo: text(),
  // null: the documented defaults.
  matching_weights: text({ mode: 'json' }).$type<MatchingWeights>(),
  // Whether mentees may ask mentors directly (API.md section 11), and the program's rhythm in days.
  requests_enabled: integer({ mode: 'boolean' }).notNull().default(true),
  request_expiry_days: integer().notNull().default(7),
  inactive_match_days: integer().notNull().default(30),
  pending_profile_days: integer().notNull().default(7),
  ...timestamps
}, (table) => [
  // The ADMINISTRATOR's list of every organization, newest first.
  index('organizations_created_idx').on(table.created_at)
])

export const EMAIL_NOTIFICATIONS = ['EACH', 'DIGEST', 'NONE'] as const
export type EmailNotifications = (typeof EMAIL_NOTIFICATIONS)[number]

export const users = sqliteTable('users', {
  id: integer().primaryKey({ autoIncrement: true }),
  // Only an installation's ADMINISTRATOR may stand outside every organization.
  organization_id: integer().references(() => organizations.id, { onDelete: 'cascade' }),
  email: text().notNull().unique(),
  password_hash: text(),
  first_name: text(),
  last_name: text(),
  street: text(),
  city: text(),
  state: text(),
  zipcode: text(),
  country: text(),
  avatar_url: text(),
  role: text({ enum: ROLES }).notNull(),
  github_id: integer().unique(),
  github_login: text(),
  // How notifications reach this person by email, when the installation sends email at all.
  email_notifications: text({ enum: EMAIL_NOTIFICATIONS }).notNull().default('EACH'),
  // Every token carries the generation it was issued in; signing out moves to the next one, and
  // the tokens of earlier generations stop working.
  session_generation: integer().notNull().default(0),
  deleted,
  ...timestamps
}, (table) => [
  index('users_organization_idx').on(table.organization_id, table.role),
  ...listOrder('users', table),
  check('users_role_check', sql`${table.role} IN ('ADMINISTRATOR', 'OWNER', 'MANAGER', 'MENTOR', 'MENTEE', 'USER')`),
  check('users_organization_check', sql`${table.organization_id} IS NOT NULL OR ${table.role} = 'ADMINISTRATOR'`)
])

export const PROFILE_STATUSES = ['PENDING', 'AVAILABLE', 'UNAVAILABLE'] as const
export type ProfileStatus = (typeof PROFILE_STATUSES)[number]

/** Rows every organization-owned table has: the tenancy column, the soft-delete flag, the timestamps. */
const owned = () => ({
  id: integer().primaryKey({ autoIncrement: true }),
  organization_id: integer().notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  deleted,
  ...timestamps
})

export const mentors = sqliteTable('mentors', {
  ...owned(),
  user_id: integer().notNull().unique().references(() => users.id, { onDelete: 'cascade' }),
  status: text({ enum: PROFILE_STATUSES }).notNull(),
  capacity: integer().notNull().default(1),
  bio: text()
}, (table) => [
  index('mentors_organization_idx').on(table.organization_id, table.status),
  ...listOrder('mentors', table),
  check('mentors_capacity_check', sql`${table.capacity} BETWEEN 1 AND 20`)
])

export const mentees = sqliteTable('mentees', {
  ...owned(),
  user_id: integer().notNull().unique().references(() => users.id, { onDelete: 'cascade' }),
  status: text({ enum: PROFILE_STATUSES }).notNull(),
  lambda_week: integer().notNull(),
  desired_zip: text(),
  interests: text(),
  application_answers: text(),
  wanted_mentor_id: integer().references(() => mentors.id, { onDelete: 'set null' })
}, (table) => [
  index('mentees_organization_idx').on(table.organization_id, table.status),
  ...listOrder('mentees', table),
  index('mentees_lambda_week_idx').on(table.organization_id, table.lambda_week),
  index('mentees_wanted_mentor_idx').on(table.wanted_mentor_id),
  check('mentees_lambda_week_check', sql`${table.lambda_week} >= 1`)
])

export const experiences = sqliteTable('experiences', {
  ...owned(),
  user_id: integer().notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text().notNull()
}, (table) => [
  uniqueIndex('experiences_user_name_unique').on(table.user_id, table.name),
  ...listOrder('experiences', table)
])

export const MATCH_STATUSES = ['ACTIVE', 'COMPLETED', 'CANCELLED'] as const
export type MatchStatus = (typeof MATCH_STATUSES)[number]

export const matches = sqliteTable('matches', {
  ...owned(),
  mentor_id: integer().notNull().references(() => mentors.id, { onDelete: 'cascade' }),
  mentee_id: integer().notNull().references(() => mentees.id, { onDelete: 'cascade' }),
  status: text({ enum: MATCH_STATUSES }).notNull().default('ACTIVE'),
  match_score: real(),
  start_date: text(),
  end_date: text(),
  cancel_reason: text()
}, (table) => [
  // The database itself refuses a second live match of one pair, whatever races in the application.
  uniqueIndex('matches_active_pair_unique').on(table.mentor_id, table.mentee_id)
    .where(sql`${table.status} = 'ACTIVE' AND ${table.deleted} = 0`),
  index('matches_organization_idx').on(table.organization_id, table.status),
  ...listOrder('matches', table),
  // With deleted, a profile's places are counted in the index alone.
  index('matches_mentor_idx').on(table.mentor_id, table.status, table.deleted),
  index('matches_mentee_idx').on(table.mentee_id, table.status, table.deleted)
])

export const meetings = sqliteTable('meetings', {
  ...owned(),
  match_id: integer().notNull().references(() => matches.id, { onDelete: 'cascade' }),
  meeting_date: text().notNull(),
  location: text().notNull(),
  notes: text(),
  rating: integer()
}, (table) => [
  ...listOrder('meetings', table),
  // A match's meetings, newest first; also the foreign key's index.
  index('meetings_match_idx').on(table.match_id, table.deleted, table.created_at),
  check('meetings_rating_check', sql`${table.rating} IS NULL OR ${table.rating} BETWEEN 1 AND 5`)
])

export const NOTIFICATION_EMAIL_STATUSES = ['PENDING', 'SENT', 'FAILED', 'SKIPPED'] as const

export const notifications = sqliteTable('notifications', {
  ...owned(),
  user_id: integer().notNull().references(() => users.id, { onDelete: 'cascade' }),
  content: text().notNull(),
  watched: integer({ mode: 'boolean' }).notNull().default(false),
  // What it is about (API.md section 7): the match, and the other person.
  match_id: integer().references(() => matches.id, { onDelete: 'set null' }),
  about_user_id: integer().references(() => users.id, { onDelete: 'set null' }),
  // Its email: null when none is due (written before email existed, or nobody sends email).
  email_status: text({ enum: NOTIFICATION_EMAIL_STATUSES }),
  email_attempts: integer().notNull().default(0)
}, (table) => [
  // Everyone lists their own notifications, newest first; also the foreign key's index.
  index('notifications_user_idx').on(table.user_id, table.deleted, table.created_at),
  ...listOrder('notifications', table),
  // The mail job reads only what is still to send.
  index('notifications_email_due_idx').on(table.email_status, table.user_id)
    .where(sql`${table.email_status} IN ('PENDING', 'FAILED')`),
  index('notifications_match_idx').on(table.match_id),
  index('notifications_about_idx').on(table.about_user_id)
])

export const REQUEST_STATUSES = ['OPEN', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXPIRED', 'CLOSED'] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]
export const DECLINE_REASONS = ['NO_CAPACITY', 'NOT_A_FIT', 'UNAVAILABLE', 'OTHER'] as const
export type DeclineReason = (typeof DECLINE_REASONS)[number]

/** A mentee asking a mentor directly (API.md section 11). */
export const requests = sqliteTable('requests', {
  ...owned(),
  mentee_id: integer().notNull().references(() => mentees.id, { onDelete: 'cascade' }),
  mentor_id: integer().notNull().references(() => mentors.id, { onDelete: 'cascade' }),
  rank: integer().notNull(),
  message: text(),
  status: text({ enum: REQUEST_STATUSES }).notNull().default('OPEN'),
  decline_reason: text({ enum: DECLINE_REASONS }),
  decline_note: text(),
  expires_at: text().notNull(),
  answered_at: text(),
  // The match an accepted request made.
  match_id: integer().references(() => matches.id, { onDelete: 'set null' })
}, (table) => [
  // One open request per mentee and mentor, whatever races in the application.
  uniqueIndex('requests_open_pair_unique').on(table.mentee_id, table.mentor_id)
    .where(sql`${table.status} = 'OPEN'`),
  ...listOrder('requests', table),
  // Staff's list of what is waiting (status=OPEN), read in order as the other lists are.
  index('requests_status_list_idx').on(table.organization_id, table.deleted, table.status, table.created_at),
  index('requests_mentee_idx').on(table.mentee_id, table.status),
  index('requests_mentor_idx').on(table.mentor_id, table.status),
  // The expiry job reads the open requests by deadline.
  index('requests_due_idx').on(table.status, table.expires_at),
  index('requests_match_idx').on(table.match_id),
  check('requests_rank_check', sql`${table.rank} BETWEEN 1 AND 3`)
])

/**
 * What a scheduled job has done, one row per deed: a job asks before acting and records in the same
 * transaction, so running it twice, or again after a restart, does nothing twice. `period` tells
 * deeds that repeat apart (the inactive match nudged again a period later); '' when it happens once.
 */
export const jobRecords = sqliteTable('job_records', {
  id: integer().primaryKey({ autoIncrement: true }),
  organization_id: integer().notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  job: text().notNull(),
  subject_id: integer().notNull(),
  period: text().notNull().default(''),
  done_at: text().notNull().$defaultFn(now)
}, (table) => [
  uniqueIndex('job_records_deed_unique').on(table.job, table.subject_id, table.period),
  index('job_records_organization_idx').on(table.organization_id)
])

export const INVITATION_ROLES = ['OWNER', 'MANAGER', 'MENTOR', 'MENTEE', 'USER'] as const
export const INVITATION_STATUSES = ['PENDING', 'ACCEPTED', 'EXPIRED'] as const

export const invitations = sqliteTable('invitations', {
  // A plain reference for staff; the secret is the token of the link, kept only as its SHA-256.
  id: integer().primaryKey({ autoIncrement: true }),
  token_hash: text().notNull().unique(),
  organization_id: integer().notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  email: text().notNull(),
  name: text(),
  role: text({ enum: INVITATION_ROLES }).notNull().default('MENTEE'),
  invited_by: integer().references(() => users.id, { onDelete: 'set null' }),
  status: text({ enum: INVITATION_STATUSES }).notNull().default('PENDING'),
  expires_at: text().notNull(),
  accepted_at: text(),
  /** The cohort week an invitations file gave: the invited mentee's profile form starts from it. */
  lambda_week: integer(),
  ...timestamps
}, (table) => [
  index('invitations_organization_idx').on(table.organization_id, table.status),
  index('invitations_list_idx').on(table.organization_id, table.created_at),
  index('invitations_admin_list_idx').on(table.created_at),
  index('invitations_email_idx').on(table.email),
  // Erasing a user sets invited_by to null: without it, every invitation would be read.
  index('invitations_invited_by_idx').on(table.invited_by)
])

import { and, asc, eq, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { type EmailNotifications, jobRecords, matches, mentees, mentors, notifications, users } from '../db/schema'
import type { Mailer } from './invitations'
import { nameOf } from './jobs/messages'
import type { Notice, Outbox } from './outbox'
import { preparedOnFirstUse } from './prepared'
import { immediately, inJsonArray, Scope, type Store } from './tenancy'
import { unsubscribeTokens } from './unsubscribe'
import { notFound } from './errors'

/** A notification's email is tried this many times (once at once, then once per run of the jobs), then FAILED. */
export const MAX_EMAIL_ATTEMPTS = 5
/** The most emails one run sends, so that a backlog cannot hold a run for long. */
const BATCH = 200
/**
 * The job_records name of an email being sent: a sender's claim on a notification's next try, from
 * just before the send until its outcome is recorded, so that two senders on one database (the
 * server and `run-jobs --once`) never send the same email.
 */
export const EMAIL_CLAIM_JOB = 'email-sending'
/**
 * A claim this old belongs to a sender that stopped mid-send (a crash, a kill): its email is tried
 * again. Far above the longest send the mailer allows (its connection, greeting and socket timeouts).
 */
export const EMAIL_CLAIM_MS = 10 * 60 * 1000

export interface EmailSettings {
  /** null: the installation sends no email (SMTP_URL unset). */
  mailer: Mailer | null
  /** Where links in emails lead: APP_URL, else this server's own address. */
  linkBase: string
  /** The key of the unsubscribe links (the JWT secret). */
  secret: string
  log: { warn (details: object, message: string): void, error (details: object, message: string): void }
}

export interface Subscriber {
  id: number
  name: string
  email_notifications: EmailNotifications
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

/**
 * Notifications by email, as each person chooses (`users.email_notifications`): EACH, one email per
 * notification, sent as soon as the transaction that wrote it has committed; DIGEST, one email a day
 * with every notification of the days before; NONE. notify() marks what it writes (email_status
 * PENDING, or SKIPPED for NONE; null when no email is sent at all), and the email goes out after the
 * write, never inside a request's time: a failure is retried by the jobs up to MAX_EMAIL_ATTEMPTS,
 * then marked FAILED and logged. Every sender (the server's, `run-jobs --once` beside it) claims an
 * email in job_records before sending it, so two never send the same one; a sender that stops
 * mid-send leaves its claim, which lapses after EMAIL_CLAIM_MS, and the email is sent again (at least
 * once, never lost). A claim, not a new email_status: the schema's statuses stay as they are.
 */
export function createEmail (store: Store, settings: EmailSettings) {
  const { db, clock } = store
  const { mailer, log } = settings
  const tokens = unsubscribeTokens(settings.secret)
  const linkBase = settings.linkBase.replace(/\/+$/, '')

  const choicesOf = preparedOnFirstUse(() => db.select({ id: users.id, choice: users.email_notifications }).from(users)
    .where(inJsonArray(users.id, 'ids')).prepare())

  const about = alias(users, 'about')
  const mentorUser = alias(users, 'mentor_user')
  const menteeUser = alias(users, 'mentee_user')
  const due = (choice: EmailNotifications, written?: SQL) => db.select({
    id: notifications.id,
    email_attempts: notifications.email_attempts,
    content: notifications.content,
    created_at: notifications.created_at,
    match_id: notifications.match_id,
    recipient: { id: users.id, first_name: users.first_name, last_name: users.last_name, email: users.email },
    about: { first_name: about.first_name, last_name: about.last_name, email: about.email },
    mentor: { first_name: mentorUser.first_name, last_name: mentorUser.last_name, email: mentorUser.email },
    mentee: { first_name: menteeUser.first_name, last_name: menteeUser.last_name, email: menteeUser.email }
  }).from(notifications)
    .innerJoin(users, eq(users.id, notifications.user_id))
    .leftJoin(about, eq(about.id, notifications.about_user_id))
    .leftJoin(matches, eq(matches.id, notifications.match_id))
    .leftJoin(mentors, eq(mentors.id, matches.mentor_id))
    .leftJoin(mentees, eq(mentees.id, matches.mentee_id))
    .leftJoin(mentorUser, eq(mentorUser.id, mentors.user_id))
    .leftJoin(menteeUser, eq(menteeUser.id, mentees.user_id))
    .where(and(
      eq(notifications.email_status, 'PENDING'),
      eq(notifications.deleted, false),
      eq(users.email_notifications, choice),
      eq(users.deleted, false),
      lte(notifications.email_attempts, sql.placeholder('attempts')),
      written
    )).orderBy(asc(notifications.user_id), asc(notifications.id)).limit(BATCH).prepare()
  const dueEach = preparedOnFirstUse(() => due('EACH'))
  const dueDigest = preparedOnFirstUse(() => due('DIGEST', lt(notifications.created_at, sql.placeholder('before'))))
  type Due = ReturnType<typeof dueEach.all>[number]

  const skipUnwanted = preparedOnFirstUse(() => db.update(notifications).set({ email_status: 'SKIPPED' }).where(and(
    eq(notifications.email_status, 'PENDING'),
    or(eq(notifications.deleted, true),
      inArray(notifications.user_id, db.select({ id: users.id }).from(users).where(or(eq(users.email_notifications, 'NONE'), eq(users.deleted, true)))))
  )).prepare())
  const markSent = preparedOnFirstUse(() => db.update(notifications).set({ email_status: 'SENT', email_attempts: sql`${notifications.email_attempts} + 1` })
    .where(inJsonArray(notifications.id, 'ids')).prepare())
  const markFailed = preparedOnFirstUse(() => db.update(notifications).set({
    email_attempts: sql`${notifications.email_attempts} + 1`,
    email_status: sql`CASE WHEN ${notifications.email_attempts} + 1 >= ${MAX_EMAIL_ATTEMPTS} THEN 'FAILED' ELSE 'PENDING' END`
  }).where(inJsonArray(notifications.id, 'ids')).returning({ id: notifications.id, email_status: notifications.email_status }).prepare())

  const releaseStaleClaims = preparedOnFirstUse(() => db.delete(jobRecords)
    .where(and(eq(jobRecords.job, EMAIL_CLAIM_JOB), lt(jobRecords.done_at, sql.placeholder('stale')))).prepare())
  // The claim holds only while the notification is as its sender read it: still PENDING, as many tries made.
  const claimOne = preparedOnFirstUse(() => db.insert(jobRecords).select(db.select({
    id: sql<number>`NULL`.as('id'),
    organization_id: notifications.organization_id,
    job: sql<string>`${EMAIL_CLAIM_JOB}`.as('job'),
    subject_id: notifications.id,
    period: sql<string>`''`.as('period'),
    done_at: sql<string>`${sql.placeholder('now')}`.as('done_at')
  }).from(notifications).where(and(
    eq(notifications.id, sql.placeholder('id')),
    eq(notifications.email_status, 'PENDING'),
    eq(notifications.deleted, false),
    eq(notifications.email_attempts, sql.placeholder('attempts'))
  ))).onConflictDoNothing().returning({ id: jobRecords.subject_id }).prepare())
  // The person as they are at the claim: still wanting this kind of email, not deleted, at their current address.
  const recipientNow = preparedOnFirstUse(() => db.select({ id: users.id, first_name: users.first_name, last_name: users.last_name, email: users.email })
    .from(users).where(and(eq(users.id, sql.placeholder('id')), eq(users.deleted, false), eq(users.email_notifications, sql.placeholder('choice'))))
    .prepare())
  const releaseClaims = preparedOnFirstUse(() => db.delete(jobRecords)
    .where(and(eq(jobRecords.job, EMAIL_CLAIM_JOB), inJsonArray(jobRecords.subject_id, 'ids'))).prepare())

  /**
   * Claims the rows a sender read for one person, in one IMMEDIATE transaction, and answers those it
   * now holds with the person as they are now: a row another sender claimed, sent or tried meanwhile
   * is left to it, and a person who since chose another kind of email (or none), or was deleted, is
   * sent nothing (the next pass skips or regroups their rows). A claim is released when the send's
   * outcome is recorded, or given up after EMAIL_CLAIM_MS.
   */
  function claim (rows: Due[], choice: EmailNotifications): { recipient: Due['recipient'], claimed: Due[] } | undefined {
    const now = clock.now()
    return immediately(store, () => {
      releaseStaleClaims.run({ stale: new Date(now.getTime() - EMAIL_CLAIM_MS).toISOString() })
      const recipient = recipientNow.get({ id: rows[0]!.recipient.id, choice })
      if (!recipient) return undefined
      const claimed = rows.filter((row) => claimOne.all({ id: row.id, attempts: row.email_attempts, now: now.toISOString() }).length > 0)
      return claimed.length > 0 ? { recipient, claimed } : undefined
    })
  }

  /** The person an unsubscribe link names, and how they receive email now; 400, 403 or 404 otherwise. */
  function subscriber (token: string): Subscriber {
    // THE UNSCOPED DOOR: the link's signature, not a sign-in, says who this is.
    const user = store.tables.users.find(Scope.acrossOrganizations, tokens.userOf(token))
    if (!user) throw notFound('User')
    return { id: user.id, name: nameOf(user), email_notifications: user.email_notifications }
  }

  /** What a notification is about, in words: the other person and the match. */
  function context (row: Due): string[] {
    return [
      ...(row.about?.email ? [`About: ${nameOf(row.about)}.`] : []),
      ...(row.match_id && row.mentor?.email && row.mentee?.email
        ? [`Match #${row.match_id}: ${nameOf(row.mentor)} (mentor) and ${nameOf(row.mentee)} (mentee).`]
        : [])
    ]
  }

  function unsubscribeUrl (userId: number): string {
    return `${linkBase}/api/unsubscribe/${tokens.tokenFor(userId)}`
  }

  /** Sends one email of the rows this sender could claim (none claimed: nothing sent), and records the outcome. */
  async function deliver (rows: Due[], choice: EmailNotifications, compose: (claimed: Due[]) => { subject: string, body: string[] }): Promise<boolean> {
    const held = claim(rows, choice)
    if (!held) return false
    const { recipient, claimed } = held
    const { subject, body } = compose(claimed)
    const stop = unsubscribeUrl(recipient.id)
    const text = [
      `Hello ${nameOf(recipient)},`, '', ...body, '',
      `Open MentorMatchr: ${linkBase}/`, '',
      `To receive no more email from MentorMatchr, open ${stop}`
    ].join('\n')
    const ids = JSON.stringify(claimed.map((row) => row.id))
    try {
      await mailer!.send({
        to: recipient.email,
        subject: oneLine(subject),
        text,
        // One-click unsubscribe (RFC 8058): mail programs POST to the link.
        headers: { 'List-Unsubscribe': `<${stop}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
      })
      immediately(store, () => {
        markSent.run({ ids })
        releaseClaims.run({ ids })
      })
      return true
    } catch (error) {
      const marked = immediately(store, () => {
        releaseClaims.run({ ids })
        return markFailed.all({ ids })
      })
      const failed = marked.filter((row) => row.email_status === 'FAILED').map((row) => row.id)
      if (failed.length > 0) log.error({ err: error, notifications: failed, attempts: MAX_EMAIL_ATTEMPTS }, 'gave up emailing notifications')
      else log.warn({ err: error, notifications: marked.map((row) => row.id) }, 'a notification email was not sent; the jobs will try again')
      return false
    }
  }

  /** One pass over the EACH emails due: those never tried (`firstTries`), or every one still PENDING. */
  async function sendEach (firstTries: boolean): Promise<number> {
    skipUnwanted.run()
    let sent = 0
    const rows = dueEach.all({ attempts: firstTries ? 0 : MAX_EMAIL_ATTEMPTS })
    for (const row of rows) {
      const body = [oneLine(row.content), ...(context(row).length > 0 ? ['', ...context(row)] : [])]
      if (await deliver([row], 'EACH', () => ({ subject: `MentorMatchr: ${row.content}`, body }))) sent++
    }
    return sent
  }

  // One pass at a time: a pass asked for while one runs follows it, so nothing is sent twice.
  let passing: Promise<number> = Promise.resolve(0)
  let scheduled = false
  function pass (firstTries: boolean): Promise<number> {
    passing = passing.then(() => sendEach(firstTries), () => sendEach(firstTries))
    return passing
  }

  const outbox: Outbox = {
    stamp (notices: Notice[]) {
      const choices = new Map(choicesOf.all({ ids: JSON.stringify(notices.map((notice) => notice.user_id)) }).map(({ id, choice }) => [id, choice]))
      return notices.map((notice) => ({ ...notice, email_status: choices.get(notice.user_id) === 'NONE' ? 'SKIPPED' as const : 'PENDING' as const }))
    },

    /** After the current transaction (better-sqlite3's are synchronous, so it has committed or rolled back by then). */
    sendSoon () {
      if (scheduled) return
      scheduled = true
      setImmediate(() => {
        scheduled = false
        pass(true).catch((error: unknown) => log.error({ err: error }, 'sending notification emails failed'))
      })
    }
  }

  return {
    /** What notify() uses; undefined when no email is sent. */
    outbox: mailer ? outbox : undefined,

    /** The job: the EACH emails still due, new ones and retries (one try each per run). */
    sendDue: async (): Promise<number> => mailer ? await pass(false) : 0,

    /**
     * The job: one email per DIGEST person with the notifications written before today (UTC, by the
     * domain's clock), so each gets at most one a day, on the first run of the jobs of the day.
     */
    async sendDigests (): Promise<number> {
      if (!mailer) return 0
      skipUnwanted.run()
      const today = clock.now().toISOString().slice(0, 10)
      const rows = dueDigest.all({ attempts: MAX_EMAIL_ATTEMPTS, before: today })
      const byPerson = new Map<number, Due[]>()
      for (const row of rows) byPerson.set(row.recipient.id, [...(byPerson.get(row.recipient.id) ?? []), row])
      let sent = 0
      for (const personal of byPerson.values()) {
        const digest = (claimed: Due[]) => ({
          subject: `MentorMatchr: your daily digest, ${claimed.length} notification${claimed.length === 1 ? '' : 's'}`,
          body: [`Your notifications (${claimed.length}):`, '',
            ...claimed.flatMap((row) => [`- ${row.created_at.slice(0, 10)}: ${oneLine(row.content)}`, ...context(row).map((line) => `  ${line}`)])]
        })
        if (await deliver(personal, 'DIGEST', digest)) sent++
      }
      return sent
    },

    /** Waits for the emails being sent (closing the app waits for them before the database closes). */
    idle: async (): Promise<void> => { await passing.catch(() => undefined) },

    unsubscribeUrl,
    subscriber,

    /** The link's person receives no more email. */
    unsubscribe (token: string): Subscriber {
      const user = immediately(store, () => store.tables.users.update(Scope.acrossOrganizations, subscriber(token).id, { email_notifications: 'NONE' }))
      return { id: user.id, name: nameOf(user), email_notifications: user.email_notifications }
    }
  }
}

export type Email = ReturnType<typeof createEmail>

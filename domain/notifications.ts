import { and, eq, sql } from 'drizzle-orm'
import { notifications, users } from '../db/schema'
import type { Caller } from './caller'
import type { Notice } from './outbox'
import { forbidden, invalid } from './errors'
import { isSelf, isStaff, ownsOrIsStaff, seesDeleted } from './policy'
import { preparedOnFirstUse } from './prepared'
import { immediately, inJsonArray, type Page, Scope, type Store } from './tenancy'

export type Notification = typeof notifications.$inferSelect

/** A notification as people read it: with the other person it is about (API.md section 7), or null. */
export type NotificationView = Omit<Notification, 'about_user_id'> & {
  about: { id: number, first_name: string | null, last_name: string | null } | null
}

export interface NotificationQuery extends Page {
  include_deleted?: boolean
  watched?: boolean
}

export interface NotificationChanges {
  content?: string
  watched?: boolean
  deleted?: boolean
}

/**
 * Writes notifications, inside the caller's transaction: every notification of the system, whoever
 * raises it (staff, the match lifecycle, requests, the scheduled jobs), is written here and nowhere else.
 * With email on, each is marked for email by its recipient's choice and sent after the transaction.
 */
export function notify ({ tables, outbox }: Store, notices: Notice[]): Notification[] {
  if (notices.length === 0) return []
  // Each notice names its organization.
  const written = tables.notifications.insertMany(Scope.acrossOrganizations, outbox ? outbox.stamp(notices) : notices)
  outbox?.sendSoon()
  return written
}

/** A notification is its recipient's; staff of its organization may also read and delete it. */
export function createNotifications (store: Store) {
  const { db, tables } = store
  // The people a page of notifications is about, in one statement however long the page.
  const aboutUsers = preparedOnFirstUse(() => db.select({ id: users.id, first_name: users.first_name, last_name: users.last_name })
    .from(users).where(inJsonArray(users.id, 'ids')).prepare())
  const unreadOf = preparedOnFirstUse(() => db.update(notifications).set({ watched: true })
    .where(and(eq(notifications.user_id, sql.placeholder('user')), eq(notifications.watched, false), eq(notifications.deleted, false))).prepare())

  /** As the API shows them: with `about`, the other person (API.md section 7), or null. */
  function present (page: Notification[]): NotificationView[] {
    const wanted = [...new Set(page.flatMap((notification) => notification.about_user_id ?? []))]
    const people = new Map(wanted.length > 0 ? aboutUsers.all({ ids: JSON.stringify(wanted) }).map((person) => [person.id, person]) : [])
    return page.map(({ about_user_id, ...notification }) => ({ ...notification, about: (about_user_id === null ? undefined : people.get(about_user_id)) ?? null }))
  }
  const presentOne = (notification: Notification) => present([notification])[0]!

  function mayAct (caller: Caller, notification: Notification): void {
    if (!ownsOrIsStaff(caller, notification)) throw forbidden()
  }

  function notificationFor (caller: Caller, id: number, includeDeleted = false): Notification {
    const notification = tables.notifications.get(caller.scope, id, includeDeleted)
    mayAct(caller, notification)
    return notification
  }

  return {
    /** Everyone lists their own, staff too; the ADMINISTRATOR lists all. */
    list (caller: Caller, { watched, include_deleted, ...page }: NotificationQuery) {
      const { rows, total } = tables.notifications.list(caller.scope, {
        ...page,
        includeDeleted: seesDeleted(caller, include_deleted),
        where: [
          caller.user.role === 'ADMINISTRATOR' ? undefined : eq(notifications.user_id, caller.user.id),
          watched === undefined ? undefined : eq(notifications.watched, watched)
        ]
      })
      return { rows: present(rows), total }
    },

    get (caller: Caller, id: number, includeDeleted?: boolean) {
      return presentOne(notificationFor(caller, id, seesDeleted(caller, includeDeleted)))
    },

    /** Staff notify a user of the organization. */
    create (caller: Caller, { user_id, content }: { user_id: number, content: string }) {
      return presentOne(immediately(store, () => {
        const recipient = tables.users.find(caller.scope, user_id)
        if (!recipient?.organization_id) throw invalid('user_id does not name a user of your organization')
        return notify(store, [{ user_id, content, organization_id: recipient.organization_id }])[0]!
      }))
    },

    /** Staff change the content (and restore it); only the recipient marks it read or unread. */
    update (caller: Caller, id: number, { content, watched, deleted }: NotificationChanges) {
      return presentOne(immediately(store, () => {
        const notification = notificationFor(caller, id, deleted === false && seesDeleted(caller, true))
        if (content !== undefined && !isStaff(caller)) throw forbidden('Only staff edit the content of a notification')
        if (watched !== undefined && !isSelf(caller, notification.user_id)) {
          throw forbidden('Only the recipient marks a notification read or unread')
        }
        if (deleted !== undefined && deleted !== notification.deleted && !isStaff(caller)) {
          throw forbidden('Only staff delete or restore notifications this way')
        }
        return tables.notifications.update(caller.scope, notification.id, { content, watched, deleted })
      }))
    },

    markRead (caller: Caller, id: number) {
      return presentOne(immediately(store, () => {
        const notification = notificationFor(caller, id)
        if (!isSelf(caller, notification.user_id)) throw forbidden('Only the recipient marks a notification read')
        return tables.notifications.update(caller.scope, notification.id, { watched: true })
      }))
    },

    /** The caller's own unread notifications become read, whoever the caller is; answers how many. */
    markAllRead (caller: Caller): number {
      return unreadOf.run({ user: caller.user.id }).changes
    },

    softDelete (caller: Caller, id: number) {
      return presentOne(tables.notifications.softDelete(caller.scope, id, (notification) => mayAct(caller, notification)))
    },

    erase (caller: Caller, id: number): void {
      immediately(store, () => tables.notifications.remove(caller.scope, notificationFor(caller, id, seesDeleted(caller, true)).id))
    }
  }
}

export type Notifications = ReturnType<typeof createNotifications>

import { and, eq } from 'drizzle-orm'
import { notifications } from '../db/schema'
import type { Caller } from './caller'
import { forbidden, invalid } from './errors'
import { isSelf, isStaff, ownsOrIsStaff, seesDeleted } from './policy'
import type { Page, Store } from './tenancy'

export type Notification = typeof notifications.$inferSelect

export interface NotificationQuery extends Page {
  include_deleted?: boolean
  watched?: boolean
}

export interface NotificationChanges {
  content?: string
  watched?: boolean
  deleted?: boolean
}

/** A notification is its recipient's; staff of its organization may also read and delete it. */
export function createNotifications ({ db, tables }: Store) {
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
      return tables.notifications.list(caller.scope, {
        ...page,
        includeDeleted: seesDeleted(caller, include_deleted),
        where: [
          caller.user.role === 'ADMINISTRATOR' ? undefined : eq(notifications.user_id, caller.user.id),
          watched === undefined ? undefined : eq(notifications.watched, watched)
        ]
      })
    },

    get (caller: Caller, id: number, includeDeleted?: boolean): Notification {
      return notificationFor(caller, id, seesDeleted(caller, includeDeleted))
    },

    /** Staff notify a user of the organization. */
    create (caller: Caller, { user_id, content }: { user_id: number, content: string }): Notification {
      const recipient = tables.users.find(caller.scope, user_id)
      if (!recipient?.organization_id) throw invalid('user_id does not name a user of your organization')
      return tables.notifications.insert(caller.scope, { user_id, content, organization_id: recipient.organization_id })
    },

    /** Staff change the content (and restore it); only the recipient marks it read or unread. */
    update (caller: Caller, id: number, { content, watched, deleted }: NotificationChanges): Notification {
      const notification = notificationFor(caller, id, deleted === false && seesDeleted(caller, true))
      if (content !== undefined && !isStaff(caller)) throw forbidden('Only staff edit the content of a notification')
      if (watched !== undefined && !isSelf(caller, notification.user_id)) {
        throw forbidden('Only the recipient marks a notification read or unread')
      }
      if (deleted !== undefined && deleted !== notification.deleted && !isStaff(caller)) {
        throw forbidden('Only staff delete or restore notifications this way')
      }
      return tables.notifications.update(caller.scope, notification.id, { content, watched, deleted })
    },

    markRead (caller: Caller, id: number): Notification {
      const notification = notificationFor(caller, id)
      if (!isSelf(caller, notification.user_id)) throw forbidden('Only the recipient marks a notification read')
      return tables.notifications.update(caller.scope, notification.id, { watched: true })
    },

    /** Marks every unread notification of the caller read, in one statement; answers how many. */
    markAllRead (caller: Caller): number {
      return db.update(notifications).set({ watched: true })
        .where(and(eq(notifications.user_id, caller.user.id), eq(notifications.watched, false), eq(notifications.deleted, false))).run().changes
    },

    softDelete (caller: Caller, id: number): Notification {
      return tables.notifications.softDelete(caller.scope, id, (notification) => mayAct(caller, notification))
    },

    erase (caller: Caller, id: number): void {
      tables.notifications.remove(caller.scope, notificationFor(caller, id, seesDeleted(caller, true)).id)
    }
  }
}

export type Notifications = ReturnType<typeof createNotifications>

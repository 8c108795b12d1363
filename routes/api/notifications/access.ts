import type { FastifyRequest } from 'fastify'
import { isStaff } from '../../../plugins/auth'
import { forbidden } from '../../../plugins/errors'

/** A notification is the recipient's; staff of its organization may also read and delete it. */
export function notificationFor (request: FastifyRequest, id: number, includeDeleted = false) {
  const notification = request.tenant.notifications.get(id, includeDeleted)
  if (notification.user_id !== request.user.id && !isStaff(request.user)) throw forbidden()
  return notification
}

import type { User } from '../../../plugins/auth'
import { forbidden } from '../../../plugins/errors'

/** An organization is changed by its OWNER or the ADMINISTRATOR (the scope has already hidden others). */
export function mayChangeOrganization (user: User): void {
  if (user.role !== 'OWNER' && user.role !== 'ADMINISTRATOR') throw forbidden()
}

import { randomBytes } from 'node:crypto'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'
import { hashPassword, type User } from '../plugins/auth'
import { isUniqueViolation } from '../plugins/errors'
import { Email, Password } from '../routes/schemas'
import { CommandError } from './context'

export const ADMIN_PASSWORD_VARIABLE = 'MENTORMATCHR_ADMIN_PASSWORD'

// The API's own rules for an email address and a password.
const ajv = new Ajv()
addFormats(ajv)
const isEmail = ajv.compile(Email)
const isPassword = ajv.compile(Password)

export interface ChosenPassword {
  password: string
  /** Nobody typed it: the command prints it, once. */
  generated: boolean
}

/** The password given, checked like the API checks one, or else a new random one. */
export function choosePassword (given: string | undefined): ChosenPassword {
  if (given === undefined || given === '') return { password: randomBytes(18).toString('base64url'), generated: true }
  if (!isPassword(given)) throw new CommandError('The password must be 8 to 200 characters long')
  return { password: given, generated: false }
}

/** Writes the installation's ADMINISTRATOR: a user of no organization, who sees them all. */
export async function createAdmin (app: FastifyInstance, email: string, password: string): Promise<User> {
  // Trimmed and lower-cased as the API stores every address.
  const address = email.trim().toLowerCase()
  if (!isEmail(address)) throw new CommandError(`"${email}" is not an email address`)
  const password_hash = await hashPassword(password)
  try {
    return app.repositories.users.insert({ organization_id: null, email: address, password_hash, role: 'ADMINISTRATOR' })
  } catch (error) {
    if (isUniqueViolation(error)) throw new CommandError(`A user with the email ${address} already exists: nothing was created`)
    throw error
  }
}

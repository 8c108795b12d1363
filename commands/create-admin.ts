import { randomBytes } from 'node:crypto'
import type { ValidateFunction } from 'ajv'
import type { FastifyInstance } from 'fastify'
import type { User } from '../domain/caller'
import { Refusal } from '../domain/errors'
import { compiler } from '../schemas/checks'
import { Email, Password } from '../schemas/common'
import { CommandError } from './errors'

let rules: { isEmail: ValidateFunction, isPassword: ValidateFunction } | undefined
/**
 * The API's own rules for an email address and a password, compiled when the command first needs
 * them: the executable loads every command, and compiling them cost each server's start 15 ms.
 */
function apiRules () {
  if (!rules) {
    const ajv = compiler({})
    rules = { isEmail: ajv.compile(Email), isPassword: ajv.compile(Password) }
  }
  return rules
}

export interface ChosenPassword {
  password: string
  /** Nobody typed it: the command prints it, once. */
  generated: boolean
}

/** The password given, checked like the API checks one, or else a new random one. */
export function choosePassword (given: string | undefined): ChosenPassword {
  if (given === undefined || given === '') return { password: randomBytes(18).toString('base64url'), generated: true }
  if (!apiRules().isPassword(given)) throw new CommandError('The password must be 8 to 200 characters long')
  return { password: given, generated: false }
}

/** Writes the installation's ADMINISTRATOR: a user of no organization, who sees them all. */
export async function createAdmin (app: FastifyInstance, email: string, password: string): Promise<User> {
  // Trimmed and lower-cased as the API stores every address.
  const address = email.trim().toLowerCase()
  if (!apiRules().isEmail(address)) throw new CommandError(`"${email}" is not an email address`)
  try {
    return await app.domain.accounts.createAdministrator(address, password)
  } catch (error) {
    throw error instanceof Refusal ? new CommandError(error.message) : error
  }
}

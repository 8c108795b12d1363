import type { MatchingWeights, organizations } from '../db/schema'
import type { Caller } from './caller'
import { effectiveWeights } from './matching/scoring'
import { immediately, type Page, Scope, type Store } from './tenancy'

export type Organization = typeof organizations.$inferSelect

export interface OrganizationFields {
  name?: string
  description?: string | null
  logo?: string | null
  /** Replaces the weights as a whole (a factor left out takes its default); null returns to the defaults. */
  matching_weights?: MatchingWeights | null
  requests_enabled?: boolean
  request_expiry_days?: number
  inactive_match_days?: number
  pending_profile_days?: number
}

/** The organizations a caller sees: their own, or (the ADMINISTRATOR) all. */
export function createOrganizations (store: Store) {
  const { tables } = store
  return {
    list (caller: Caller, page: Page) {
      return tables.organizations.list(caller.scope, page)
    },

    /** The organizations a caller may pick from (the ADMINISTRATOR: every one), by name. */
    choices (caller: Caller): Array<Pick<Organization, 'id' | 'name'>> {
      // SQLite reads LIMIT -1 as no limit.
      return tables.organizations.list(caller.scope, { limit: -1, offset: 0 }).rows
        .map(({ id, name }) => ({ id, name }))
        .sort((first, second) => first.name.localeCompare(second.name))
    },

    get (caller: Caller, id: number): Organization {
      return tables.organizations.get(caller.scope, id)
    },

    /** A new organization stands outside every existing one, so it is written across organizations. */
    create (fields: OrganizationFields & { name: string }): Organization {
      return tables.organizations.insert(Scope.acrossOrganizations, fields)
    },

    update (caller: Caller, id: number, fields: OrganizationFields): Organization {
      // Weights that would all be 0 are refused here, not found out at the next preview.
      effectiveWeights('matching_weights', fields.matching_weights)
      return immediately(store, () => tables.organizations.update(caller.scope, tables.organizations.get(caller.scope, id).id, fields))
    },

    /** One DELETE: the foreign keys cascade to every row of the organization in the same statement. */
    erase (caller: Caller, id: number): void {
      tables.organizations.remove(caller.scope, id)
    }
  }
}

export type Organizations = ReturnType<typeof createOrganizations>

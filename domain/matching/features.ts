import { sql } from 'drizzle-orm'
import { experiences, matches, type MatchingWeights, mentees, mentors, organizations, users } from '../../db/schema'
import { activeMatchesOf } from '../matches/capacity'
import type { MenteeFeatures, MentorFeatures } from './scoring'

/**
 * What scoring reads of a profile, as columns of a query over `mentees` or `mentors` joined with
 * their `users`. The lifecycle's reads (a match made by hand) and the matching's bulk loads select
 * the same columns, so a pair is scored from the same values on every path.
 */
export const menteeFeatureColumns = {
  interests: mentees.interests,
  // Where the mentee wants to meet; their own address when they did not say.
  zip: sql<string | null>`coalesce(${mentees.desired_zip}, ${users.zipcode})`,
  wanted_mentor_id: mentees.wanted_mentor_id
}

/** A mentor as the lifecycle and the matching both read it: who, how loaded, and what scoring needs. */
export const mentorColumns = {
  id: mentors.id,
  organization_id: mentors.organization_id,
  user_id: mentors.user_id,
  capacity: mentors.capacity,
  first_name: users.first_name,
  last_name: users.last_name,
  active: activeMatchesOf(matches.mentor_id, mentors.id),
  bio: mentors.bio,
  zip: users.zipcode,
  /** Its user's live experience names, as a JSON array. */
  experienceNames: sql<string>`(SELECT json_group_array(${experiences.name}) FROM ${experiences}
    WHERE ${experiences.user_id} = ${mentors.user_id} AND ${experiences.deleted} = 0)`,
  /** Its organization's weights, as stored (JSON text or null). */
  organizationWeights: sql<string | null>`(SELECT ${organizations.matching_weights} FROM ${organizations}
    WHERE ${organizations.id} = ${mentors.organization_id})`
}

type MentorRow = { id: number, user_id: number, capacity: number, active: number, bio: string | null, zip: string | null, experienceNames: string }

export const mentorFeaturesOf = ({ id, user_id, capacity, active, bio, zip, experienceNames }: MentorRow): MentorFeatures =>
  ({ id, user_id, capacity, active, bio, zip, experiences: JSON.parse(experienceNames) as string[] })

export const menteeFeaturesOf = ({ id, user_id, interests, zip, wanted_mentor_id }: MenteeFeatures): MenteeFeatures =>
  ({ id, user_id, interests, zip, wanted_mentor_id })

export const storedWeights = (text: string | null): MatchingWeights | null => text === null ? null : JSON.parse(text) as MatchingWeights

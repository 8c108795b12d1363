import type { DeclineReason } from '../../db/schema'

/** A decline reason in words, as the mentee reads it. */
export const DECLINE_REASON_TEXTS: Record<DeclineReason, string> = {
  NO_CAPACITY: 'the mentor has no free place',
  NOT_A_FIT: 'the mentor does not think they are the right fit',
  UNAVAILABLE: 'the mentor is not available at the moment',
  OTHER: 'another reason'
}

/**
 * Every notification a mentee request writes, in one place (the README lists them). The person it
 * is about travels beside the text (`about`, and `match_id` once there is a match).
 */
export const REQUEST_MESSAGES = {
  requested: 'A mentee has asked you to be their mentor!',
  accepted: 'Your mentor request has been accepted!',
  declined: (reason: DeclineReason, note: string | null | undefined) =>
    `Your mentor request has been declined: ${DECLINE_REASON_TEXTS[reason]}.${note ? ` The mentor wrote: ${note}` : ''}`,
  withdrawn: 'A mentee has withdrawn their request to you.',
  closed: 'A mentee who asked you has been matched with another mentor: their request is closed.',
  expired: 'Your mentor request has expired without an answer.',
  reminder: 'A mentee is waiting for your answer to their request.'
} as const

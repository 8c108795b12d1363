/** Every notification the scheduled jobs write, in one place (the README lists them). */
export const JOB_MESSAGES = {
  inactiveParty: (days: number) => `No meeting has been logged for your match in ${days} days: time to plan the next one!`,
  inactiveStaff: (mentor: string, mentee: string, days: number) =>
    `The match of ${mentor} (mentor) and ${mentee} (mentee) has had no meeting in ${days} days.`,
  pendingProfile: (side: 'mentor' | 'mentee', person: string, days: number) =>
    `The ${side} profile of ${person} has waited ${days} days for approval.`
} as const

/** How a person is named in a notification: their name, else their email. */
export const nameOf = (person: { first_name: string | null, last_name: string | null, email: string }): string =>
  [person.first_name, person.last_name].filter(Boolean).join(' ') || person.email

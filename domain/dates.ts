/** Dates are kept in UTC ISO 8601, so that they sort and compare as text. */
export const utc = (dateTime: string): string => new Date(dateTime).toISOString()

export const now = (): string => new Date().toISOString()

export const DAY_MS = 24 * 60 * 60 * 1000

/** Whole days from `since` (an ISO date) to `at`, rounded down. */
export const wholeDaysSince = (since: string, at: Date): number => Math.floor((at.getTime() - Date.parse(since)) / DAY_MS)

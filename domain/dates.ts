/** Dates are kept in UTC ISO 8601, so that they sort and compare as text. */
export const utc = (dateTime: string): string => new Date(dateTime).toISOString()

export const now = (): string => new Date().toISOString()

/**
 * Where the rules read the time: expiries, reminders and the scheduled jobs all ask the clock they
 * were built with, so a test moves time by handing the domain a clock of its own.
 */
export interface Clock {
  now (): Date
}

export const systemClock: Clock = { now: () => new Date() }

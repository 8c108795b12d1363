/** Every notification a match writes, in one place (the README lists them). */
export const MATCH_MESSAGES = {
  matchedWithMentee: 'You have been matched with your mentee!',
  matchedWithMentor: 'You have been matched with your mentor!',
  newMentee: 'Your match has been updated - now you are matched with a new mentee!',
  newMentor: 'Your match has been updated - now you are matched with a new mentor!',
  completed: 'Your match has been completed!',
  cancelled: 'Your match has been cancelled!',
  removed: 'Your match has been removed!'
} as const

/** What a meeting of a match tells the other party (the README lists them). */
export const MEETING_MESSAGES = {
  recorded: 'A meeting of your match has been recorded!',
  rated: 'A meeting of your match has been rated!'
} as const

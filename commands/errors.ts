/** A mistake in how the command was called: exit code 2, with a pointer to --help. */
export class UsageError extends Error {}

/** A command that could not do its work for a reason its user can act on: exit code 1, no stack. */
export class CommandError extends Error {}

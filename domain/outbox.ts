// The shape of a notification on its way, apart from the module that writes it: the store (tenancy.ts)
// carries an outbox, and notifications.ts and email.ts both speak of notices.

/** A notification about to be written: whom it tells, what, and (API.md section 7) what it is about. */
export interface Notice {
  organization_id: number
  user_id: number
  content: string
  /** The match it is about. */
  match_id?: number | null
  /** The other person. */
  about_user_id?: number | null
}

/** Where notifications go by email (email.ts), when the installation sends email. */
export interface Outbox {
  /** Each notice with its email_status, by its recipient's choice. */
  stamp (notices: Notice[]): Array<Notice & { email_status: 'PENDING' | 'SKIPPED' }>
  /** Sends what is due once the current transaction is over: never inside it, never in the caller's time. */
  sendSoon (): void
}

import { Type } from '@sinclair/typebox'

export const UnsubscribeParams = Type.Object({
  token: Type.String({ pattern: '^[\\w.-]{1,80}$', description: "The token of the link in a notification email: the person's id and its signature" })
})

/** The page a person sees when they open the link of an email, or after stopping the emails. */
export const Page = {
  description: 'A short HTML page for the person who opened the link',
  content: { 'text/html': { schema: Type.String() } }
}

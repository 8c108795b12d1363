import { Type } from '@sinclair/typebox'

/** The GitHub round trip answers redirects: to GitHub, back to the callback, on to the front end. */
export const Redirect = Type.Null({ description: 'A redirect: the Location header says where to' })

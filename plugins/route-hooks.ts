import type { RouteOptions } from 'fastify'

type HookName = 'onRequest' | 'preValidation' | 'preHandler'
type HookOf<Name extends HookName> = Extract<NonNullable<RouteOptions[Name]>, readonly unknown[]>[number]

/** Gives one route a hook of its own, run before the hooks the route declares itself. */
export function runFirst<Name extends HookName> (route: RouteOptions, name: Name, hook: HookOf<Name>): void {
  route[name] = [hook, ...[route[name] ?? []].flat()] as RouteOptions[Name]
}

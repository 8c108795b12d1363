import type { FastifyInstance } from 'fastify'
import { ownedResource } from '../profiles'

export function experienceRecords (fastify: FastifyInstance) {
  return ownedResource(fastify, {
    store: (tenant) => tenant.experiences,
    present: (row) => row,
    duplicate: ({ user_id, name }) => `User ${user_id} already has an experience named "${String(name)}"`
  })
}

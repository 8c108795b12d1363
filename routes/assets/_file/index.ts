import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { WEB_ASSET_NAMES, type WebAsset } from '../../../web/assets'

const assets: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'public', page: true },
    schema: {
      summary: "The web app's CSS and scripts (Pico, htmx and its own stylesheet), served from memory",
      tags: ['pages'],
      params: Type.Object({ file: Type.Unsafe<WebAsset>({ type: 'string', enum: WEB_ASSET_NAMES }) })
    }
  }, async (request, reply) => {
    const asset = fastify.webAssets.get(request.params.file)!
    return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body)
  })
}

export default assets

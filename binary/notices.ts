import sea from 'node:sea'

/** The third-party notices (scripts/third-party-notices.ts), printed by `mentormatchr licenses`. */
export const NOTICES_ASSET = 'third-party-notices.txt'

/**
 * What `mentormatchr licenses` prints: the executable's third-party notices. Run from source, each
 * package keeps its own licence files in node_modules.
 */
export const thirdPartyNotices = (): string => sea.isSea()
  ? sea.getAsset(NOTICES_ASSET, 'utf8')
  : 'Run from source, MentorMatchr uses the packages in node_modules, each with its own licence files there\n' +
    '(npm ls --omit=dev lists them). The single executable prints the notices of all it holds.\n'

import type { RouteFolder } from '../plugins/route-list'

/**
 * The route folders of routes/, for builds that cannot read folders at run time. From source this is
 * undefined and app.ts autoloads routes/; scripts/build-binary.ts replaces this module, in the bundle
 * only, with one that imports every route folder it found.
 */
export const routeFolders: RouteFolder[] | undefined = undefined

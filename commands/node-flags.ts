/**
 * The flags Node.js runs MentorMatchr with: from source (package.json's start and serve, the
 * Dockerfile's entry; test/deploy.test.ts holds them to this list) and in the single executable
 * (its execArgv). Node 24 lets V8's young generation grow to 3 x 64 MB under a burst of requests,
 * which was most of the server's peak memory; capped at 8 MB semi-spaces, the peak under the bench
 * fell by about 90 MB with no loss of requests per second.
 */
export const NODE_FLAGS = ['--max-semi-space-size=8']

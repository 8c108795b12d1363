/**
 * The flags Node.js runs MentorMatchr with: from source (package.json's start and serve, the
 * Dockerfile's entry; test/deploy.test.ts holds them to this list) and in the single executable
 * (its execArgv). Node 24 lets V8's young generation grow to 3 x 64 MB under a burst of requests,
 * which was most of the server's peak memory; capped at 8 MB semi-spaces, the peak under the bench
 * fell by about 90 MB with no loss of requests per second. The old generation may grow to twice
 * what survived its last full collection (Go's GOGC=100) instead of V8's choice of up to four
 * times: under the bench's lists, which promote much short-lived data, the peak from source fell
 * from about 225 MB to 160, again with no loss of requests per second.
 */
export const NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=100']

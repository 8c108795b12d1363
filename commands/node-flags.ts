import { setFlagsFromString } from 'node:v8'

/**
 * The flags Node.js runs MentorMatchr with: from source (package.json's start and serve, the
 * Dockerfile's entry; test/deploy.test.ts holds them to this list) and in the single executable
 * (its execArgv). Node 24 lets V8's young generation grow to 3 x 64 MB under a burst of requests,
 * which was most of the server's peak memory; capped at 8 MB semi-spaces, the peak under the bench
 * fell by about 90 MB with no loss of requests per second.
 */
export const NODE_FLAGS = ['--max-semi-space-size=8']

const HEAP_GROWING_PERCENT = '--heap-growing-percent'

/**
 * Once the server listens, the old generation may grow to twice what survived its last full
 * collection (Go's GOGC=100) instead of V8's choice of up to four times: under the bench's lists,
 * which promote much short-lived data, the peak from source fell from about 225 MB to 160, with no
 * loss of requests per second. It is set then rather than at launch because V8 rejects a code cache
 * compiled under other flags than its own, and this one counts: given at launch, it cost the
 * executable Node's code cache for its built-in modules, compiled anew on every start.
 */
export const useServerHeapGrowth = () => setFlagsFromString(`${HEAP_GROWING_PERCENT}=100`)

/** V8's own heap growth again (0 is its default): a code cache made now is one the next start accepts. */
export const useDefaultHeapGrowth = () => setFlagsFromString(`${HEAP_GROWING_PERCENT}=0`)

/**
 * glibc's malloc setting the server runs with (package.json's start and serve, the Dockerfile, the
 * systemd unit; test/deploy.test.ts holds them to this): a block of 128 KiB or more is mapped for
 * itself and given back to the system when freed. By default glibc raises that threshold to the
 * largest block freed so far, so each of libuv's four threads went on holding the 8 MiB of its last
 * scrypt derivation: a burst of sign-ins left 32 MB taken for good. Measured on the executable under
 * the bench's requests in turn: a peak of 223 MB fell to 203, at the same requests per second.
 * Other C libraries (musl, macOS) ignore the variable. The executable cannot set it for itself (the
 * allocator reads it when the process starts): whoever launches it does, as the unit does.
 */
export const MALLOC_ENVIRONMENT = { MALLOC_MMAP_THRESHOLD_: '131072' }

// The part of autocannon's API that scripts/bench.ts uses (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Histogram { average: number, total: number, p50: number, p99: number }
    interface RawRequest { method?: string, path?: string, headers?: Record<string, string>, body?: string }
    interface RequestSpec extends RawRequest { setupRequest?: (request: RawRequest) => RawRequest }
    interface Options {
      url: string
      connections?: number
      duration?: number
      /** A fixed number of requests, which then overrides the duration. */
      amount?: number
      headers?: Record<string, string>
      requests?: RequestSpec[]
    }
    interface Result { duration: number, requests: Histogram, latency: Histogram, non2xx: number, errors: number, timeouts: number }
  }
  function autocannon (options: autocannon.Options): Promise<autocannon.Result>
  export = autocannon
}

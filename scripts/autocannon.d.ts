// The part of autocannon's API that scripts/bench.ts uses (the package ships no types).
declare module 'autocannon' {
  interface Histogram { average: number, total: number, p50: number, p99: number }
  interface Options { url: string, connections?: number, duration?: number, headers?: Record<string, string> }
  interface Result { requests: Histogram, latency: Histogram, non2xx: number, errors: number, timeouts: number }
  function autocannon (options: Options): Promise<Result>
  export = autocannon
}

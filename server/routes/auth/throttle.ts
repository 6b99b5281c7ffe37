// Slows guessing against one account, whatever address it comes from. Per-IP limits are
// @fastify/rate-limit's job; this is the per-account half.
const WINDOW_MS = 15 * 60 * 1000
const FREE_ATTEMPTS = 5

interface Failures {
  count: number
  since: number
}

export class SignInThrottle {
  private failures = new Map<string, Failures>()

  constructor(private now: () => number = Date.now) {}

  /** Seconds the account must wait before another attempt, or 0. */
  waitSeconds(account: string): number {
    const f = this.current(account)
    if (!f || f.count < FREE_ATTEMPTS) return 0
    return Math.ceil((f.since + WINDOW_MS - this.now()) / 1000)
  }

  fail(account: string): void {
    const f = this.current(account)
    this.failures.set(account, f ? { count: f.count + 1, since: f.since } : { count: 1, since: this.now() })
  }

  succeed(account: string): void {
    this.failures.delete(account)
  }

  private current(account: string): Failures | undefined {
    const f = this.failures.get(account)
    if (f && this.now() - f.since > WINDOW_MS) {
      this.failures.delete(account)
      return undefined
    }
    return f
  }
}

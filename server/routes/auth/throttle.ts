// Slows guessing against one account from one source. Keyed by account AND address, so a
// stranger's wrong guesses hold back only the stranger: the owner (and the admin) signing in from
// their own address is never locked out by someone else. Per-address volume across accounts is
// @fastify/rate-limit's job; an admin can clear an account's holds (unlock) from its user page.
const WINDOW_MS = 15 * 60 * 1000
const FREE_ATTEMPTS = 5

interface Failures {
  count: number
  since: number
}

export class SignInThrottle {
  private failures = new Map<string, Failures>()

  constructor(private now: () => number = Date.now) {}

  /** Seconds this account must wait before another attempt from this source, or 0. */
  waitSeconds(account: string, source = ''): number {
    const f = this.current(key(account, source))
    if (!f || f.count < FREE_ATTEMPTS) return 0
    return Math.ceil((f.since + WINDOW_MS - this.now()) / 1000)
  }

  fail(account: string, source = ''): void {
    const k = key(account, source)
    const f = this.current(k)
    this.failures.set(k, f ? { count: f.count + 1, since: f.since } : { count: 1, since: this.now() })
  }

  succeed(account: string, source = ''): void {
    this.failures.delete(key(account, source))
  }

  /** How many sources are held back from this account now. */
  heldSources(account: string): number {
    let n = 0
    for (const k of [...this.failures.keys()])
      if (k.startsWith(prefix(account)) && this.waitSeconds(account, k.slice(prefix(account).length)) > 0) n++
    return n
  }

  /** Clears every hold on the account, whatever the source (an admin's unlock). */
  unlock(account: string): void {
    for (const k of [...this.failures.keys()]) if (k.startsWith(prefix(account))) this.failures.delete(k)
  }

  private current(k: string): Failures | undefined {
    const f = this.failures.get(k)
    if (f && this.now() - f.since > WINDOW_MS) {
      this.failures.delete(k)
      return undefined
    }
    return f
  }
}

const prefix = (account: string) => `${account}\u0000`
const key = (account: string, source: string) => prefix(account) + source

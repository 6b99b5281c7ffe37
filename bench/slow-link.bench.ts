// The case page as an auditor on a slow link feels it: Chromium (Debian's, through playwright-core)
// with the network throttled by CDP to 1.5 Mbit/s down, 0.75 Mbit/s up and a 300 ms round trip,
// loads the sign-in page (signed out) and the case page of about 40 obligations (signed in), each
// in a fresh browser context, so both fetch the stylesheets and scripts too, alternately in the
// same run. "Usable" is the later of DOMContentLoaded and the moment the page's first control
// (the email field; the first answer's outcome) takes focus. Target: the case page within twice
// the sign-in page's time. Also reported: the same with the assets already cached (a second visit).
import { chromium, type Browser } from 'playwright-core'
import { startReviewBench } from './review.bench.ts'
import { atMost, type BenchResult } from './result.ts'
import { small } from './scale.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const RUNS = small ? 1 : 3
const link = { offline: false, latency: 300, downloadThroughput: 1.5e6 / 8, uploadThroughput: 0.75e6 / 8 }

interface Timing {
  domContentLoadedMs: number
  focusableMs: number
  usableMs: number
  transferBytes: number
}

async function usable(
  browser: Browser,
  url: string,
  control: string,
  cookie: string | null,
  base: string,
  warm: boolean,
): Promise<Timing> {
  const context = await browser.newContext()
  try {
    if (cookie) {
      await context.addCookies(
        cookie
          .split('; ')
          .map((c) => ({ name: c.slice(0, c.indexOf('=')), value: c.slice(c.indexOf('=') + 1), url: base })),
      )
    }
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    if (warm) await page.goto(url, { waitUntil: 'load' }) // fills the cache at full speed
    await cdp.send('Network.emulateNetworkConditions', link)
    await page.goto(url, { waitUntil: 'commit' })
    const focusableMs = await page
      .waitForFunction(
        (selector) => {
          const el = document.querySelector<HTMLElement>(selector)
          if (!el) return false
          el.focus()
          return document.activeElement === el ? performance.now() : false
        },
        control,
        { polling: 10, timeout: 60_000 },
      )
      .then((h) => h.jsonValue() as Promise<number>)
    await page.waitForLoadState('domcontentloaded')
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      const transfer = performance
        .getEntriesByType('resource')
        .reduce((s, r) => s + (r as PerformanceResourceTiming).transferSize, n.transferSize)
      return { dcl: n.domContentLoadedEventEnd, transfer }
    })
    return {
      domContentLoadedMs: Math.round(nav.dcl),
      focusableMs: Math.round(focusableMs),
      usableMs: Math.round(Math.max(nav.dcl, focusableMs)),
      transferBytes: nav.transfer,
    }
  } finally {
    await context.close()
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

export default async (): Promise<BenchResult[]> => {
  const bench = await startReviewBench({ demoRounds: false })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
  try {
    const signInUrl = `${bench.base}/sign-in`
    const caseUrl = `${bench.base}/cases/${bench.caseId}`
    const outcome = 'input[name$="-outcome"]'
    const runs = {
      signIn: [] as Timing[],
      casePage: [] as Timing[],
      signInWarm: [] as Timing[],
      casePageWarm: [] as Timing[],
    }
    for (let i = 0; i < RUNS; i++) {
      runs.signIn.push(await usable(browser, signInUrl, '#email', null, bench.base, false))
      runs.casePage.push(await usable(browser, caseUrl, outcome, bench.cookie, bench.base, false))
      runs.signInWarm.push(await usable(browser, signInUrl, '#email', null, bench.base, true))
      runs.casePageWarm.push(await usable(browser, caseUrl, outcome, bench.cookie, bench.base, true))
    }
    const m = (ts: Timing[]) => ({
      usableMs: median(ts.map((t) => t.usableMs)),
      domContentLoadedMs: median(ts.map((t) => t.domContentLoadedMs)),
      focusableMs: median(ts.map((t) => t.focusableMs)),
      transferBytes: median(ts.map((t) => t.transferBytes)),
    })
    const signIn = m(runs.signIn)
    const casePage = m(runs.casePage)
    const signInWarm = m(runs.signInWarm)
    const casePageWarm = m(runs.casePageWarm)
    return [
      atMost('slow-link-case-page-vs-sign-in', casePage.usableMs / signIn.usableMs, '× the sign-in page', 2, {
        link: '1.5 Mbit/s down, 0.75 Mbit/s up, 300 ms RTT',
        runs: RUNS,
        obligations: bench.keys.length,
        casePage,
        signIn,
        casePageWarm,
        signInWarm,
        warmRatio: Math.round((casePageWarm.usableMs / signInWarm.usableMs) * 100) / 100,
      }),
    ]
  } finally {
    await browser.close()
    await bench.close()
  }
}

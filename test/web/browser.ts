import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import type { Test } from 'tap'

/** Debian's chromium: `.ci/run` installs it when it is missing (`apt-get install -y chromium`). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** One headless browser for a test file, closed when it ends: no GPU, no network of its own, no first-run work. */
export async function launchBrowser (t: Test): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(() => browser.close())
  return browser
}

/** The screens the pages are seen on: every context starts at a laptop's. */
export const LAPTOP = { width: 1200, height: 900 }
export const PHONE = { width: 390, height: 844 }

/**
 * A browser context of its own (one person: their own cookies), with every Content-Security-Policy
 * violation and script error of its pages recorded in `problems`.
 */
export async function personIn (browser: Browser, base: string) {
  const context: BrowserContext = await browser.newContext({ baseURL: base, viewport: LAPTOP, locale: 'en-US', timezoneId: 'UTC' })
  context.setDefaultTimeout(10_000)
  const page: Page = await context.newPage()
  const problems: string[] = []
  // A page answered 400 or 403 is expected where the test asks for it; a script, a stylesheet or an
  // icon that fails to load, a CSP report or a script error never is.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'document' && response.status() >= 400) problems.push(`${response.status()} ${response.url()}`)
  })
  page.on('requestfailed', (request) => problems.push(`${request.failure()?.errorText} ${request.url()}`))
  return { context, page, problems }
}

/**
 * Where screenshots go: docs/screenshots with UPDATE_SCREENSHOTS=1 (to commit them), else a
 * temporary folder, so a test run never changes the working tree.
 */
export function screenshotDir (): string {
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    const dir = join(__dirname, '..', '..', 'docs', 'screenshots')
    mkdirSync(dir, { recursive: true })
    return dir
  }
  return mkdtempSync(join(tmpdir(), 'mentormatchr-screenshots-'))
}

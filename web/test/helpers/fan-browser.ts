// Chromium pages of the fan app: screenshots at a phone and a desktop size with
// an axe-core check of each, QR codes read back from screenshots, and the
// development SMS outbox read as the demo admin.
import { decodeQrPng } from '@ticketgate/crypto/qr-image';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../../gate-app/test/helpers/kiosk-browser.js';
import { ROOT, ServerApi, until } from '../../../gate-app/test/e2e/harness.js';

export const ARTIFACTS = join(ROOT, '.artifacts/web');
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export function launchFanBrowser(): Promise<Browser> {
  return launchChromium(['--disable-quic', '--disable-sync']);
}

/** A phone-sized context; every request URL is recorded so a test can check no third-party host was asked. */
export async function phoneContext(browser: Browser, hosts: Set<string>): Promise<BrowserContext> {
  // bypassCSP: only so axe-core can be injected; the app's own CSP is checked by the app running under it elsewhere.
  const ctx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, bypassCSP: true, locale: 'en-GB', timezoneId: 'UTC' });
  ctx.on('request', (r) => hosts.add(new URL(r.url()).host));
  return ctx;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it is now: the serious and critical violations. */
export async function axeProblems(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Screenshots of the current screen at the phone size and at a desktop size,
 * with the axe check at both; returns the problems found (name included).
 */
export async function captureScreen(page: Page, name: string): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const problems: string[] = [];
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150); // one layout pass for the canvas after the resize
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${size}.png`), fullPage: true });
    for (const v of await axeProblems(page))
      problems.push(`${name} (${size}): ${v.id} [${v.impact}] ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  await page.setViewportSize(PHONE);
  return problems;
}

/** The code the ticket screen shows, read back from a screenshot of its QR. */
export async function readQr(page: Page): Promise<string> {
  const canvas = page.locator('canvas.qr');
  await canvas.waitFor();
  return until('a readable QR on the ticket screen', async () => decodeQrPng(await canvas.screenshot()) ?? undefined, 10_000, 200);
}

/** The server's API as staff at a door and the demo admin reading the outbox use it. */
export class FanTestApi extends ServerApi {
  /** The staff verdict for a scanned code at HALL-A. */
  async verify(code: string): Promise<string> {
    return (await this.call<{ result: string }>('POST', '/api/verify', { as: 'staff', body: { qr_payload: code, hall_id: 'HALL-A' } }))
      .result;
  }

  /** The newest SMS code sent to `phone` after message id `after` (the development outbox, read as admin). */
  async smsCode(phone: string, after = 0): Promise<{ code: string; id: number }> {
    return until(
      `an SMS code for ${phone}`,
      async () => {
        const msgs = await this.call<{ id: number; phone: string; text: string }[]>('GET', '/api/ops/outbox?per_page=100', { as: 'admin' });
        const m = msgs.find((x) => x.phone === phone && x.id > after);
        const code = m && /\b(\d{6})\b/.exec(m.text)?.[1];
        return m && code ? { code, id: m.id } : undefined;
      },
      10_000,
      200,
    );
  }

  async lastOutboxId(): Promise<number> {
    const msgs = await this.call<{ id: number }[]>('GET', '/api/ops/outbox?per_page=1', { as: 'admin' });
    return msgs[0]?.id ?? 0;
  }
}

// Debian's Chromium through playwright-core, as the kiosk UI tests use it.
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `extraArgs` come after the defaults, e.g. a fake camera for the camera tests. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

/**
 * Types through Chromium's real input pipeline (CDP Input.dispatchKeyEvent) with
 * explicit event timestamps `gapMs` apart, as an OS would stamp a scanner's or a
 * person's keys. Playwright's own delays drift on a loaded 2-core CI machine;
 * the timestamps the page sees must not.
 */
export async function typeStamped(page: Page, text: string, gapMs: number, enter = true): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  let t = Date.now() / 1000;
  const keys = [...text].map((ch) => ({
    key: ch,
    text: ch,
    code: /[A-Z]/i.test(ch) ? `Key${ch.toUpperCase()}` : /\d/.test(ch) ? `Digit${ch}` : '',
    vk: ch.toUpperCase().charCodeAt(0),
  }));
  if (enter) keys.push({ key: 'Enter', text: '\r', code: 'Enter', vk: 13 });
  for (const k of keys) {
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'keyDown',
      key: k.key,
      text: k.text,
      code: k.code,
      windowsVirtualKeyCode: k.vk,
      timestamp: t,
    });
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'keyUp',
      key: k.key,
      code: k.code,
      windowsVirtualKeyCode: k.vk,
      timestamp: t + 0.001,
    });
    t += gapMs / 1000;
  }
  await cdp.detach();
}

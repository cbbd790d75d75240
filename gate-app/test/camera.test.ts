// Camera input of the kiosk renderer in real Chromium: a fake capture device plays
// a Y4M of a QR credential, the page decodes it with zxing and submits it to a
// recording stub of the gate engine's HTTP API.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign } from 'node:crypto';
import {
  assembleCode,
  codeSignedMessage,
  generateGateKey,
  generateIssuingKeyPair,
  issueCredential,
  issuePass,
  ready,
  stepAt,
} from '@ticketgate/crypto';
import { qrVersionOf, renderQrPng } from '@ticketgate/crypto/qr-image';
import { buildRenderer } from '../scripts/build-renderer.js';
import { RepeatFilter, REPEAT_WINDOW_MS, cameraErrorMessage } from '../src/renderer/camera.js';
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
import { qrY4m } from './fixtures/qr-y4m.js';
import { launchChromium } from './helpers/kiosk-browser.js';
import { startKioskStub, type KioskStub } from './helpers/kiosk-stub.js';

const ARTIFACTS = join(import.meta.dirname, '../../.artifacts');

/** The QR in the Y plane of a Y4M's first frame, read the way the kiosk's decoder reads one. */
function decodeFirstFrame(y4m: Buffer, width: number, height: number): string | null {
  const start = y4m.indexOf('\n') + 1 + 'FRAME\n'.length;
  const luma = new Uint8ClampedArray(y4m.subarray(start, start + width * height));
  try {
    const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true]]);
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luma, width, height))), hints).getText();
  } catch {
    return null;
  }
}

describe('repeat filter', () => {
  it('takes a code once while it stays in view, and again after it has been away for the window', () => {
    const f = new RepeatFilter(3000);
    expect(f.accept('A', 0)).toBe(true);
    // Decoded every half second for ten seconds: still the one scan.
    for (let t = 500; t <= 10_000; t += 500) expect(f.accept('A', t)).toBe(false);
    expect(f.accept('A', 12_999)).toBe(false);
    expect(f.accept('A', 16_000)).toBe(true);
  });

  it('keeps codes apart, even when the decoder alternates between two', () => {
    const f = new RepeatFilter(3000);
    expect(f.accept('A', 0)).toBe(true);
    expect(f.accept('B', 100)).toBe(true);
    expect(f.accept('A', 600)).toBe(false);
    expect(f.accept('B', 700)).toBe(false);
    expect(f.accept('C', 800)).toBe(true);
  });

  it('defaults to a three-second window', () => {
    const f = new RepeatFilter();
    expect(REPEAT_WINDOW_MS).toBe(3000);
    expect(f.accept('A', 0)).toBe(true);
    expect(f.accept('A', 2999)).toBe(false);
    expect(f.accept('A', 6000)).toBe(true);
  });

  it('tells a missing camera from a refused permission', () => {
    expect(cameraErrorMessage(new DOMException('x', 'NotFoundError'))).toMatch(/No camera found/);
    expect(cameraErrorMessage(new DOMException('x', 'NotAllowedError'))).toMatch(/permission denied/);
    expect(cameraErrorMessage(new DOMException('x', 'NotReadableError'))).toMatch(/busy/);
    expect(cameraErrorMessage('weird')).toMatch(/Camera unavailable/);
  });
});

describe('kiosk camera in Chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 'tg-camera-'));
  let ticket = '';
  let stub: KioskStub;
  let withCamera: Browser;
  let withoutCamera: Browser;
  let refusing: Browser;
  /** A camera filming a phone screenshot of a device-bound code (format v2, QR version 13). */
  let phoneCamera: Browser;
  let deviceBound = '';

  beforeAll(async () => {
    await ready();
    const keys = { issuing: generateIssuingKeyPair(), gate: generateGateKey() };
    // zxing's finder-pattern search now and then misses a perfectly sharp synthetic
    // QR (real camera frames are never that clean); take a ticket whose frame it finds,
    // so that a failure here is the kiosk's and not the fixture's.
    let frames: Buffer = Buffer.alloc(0);
    for (let attempt = 0; attempt < 5 && !ticket; attempt++) {
      const candidate = issueCredential(
        {
          seatId: crypto.randomUUID(),
          eventId: crypto.randomUUID(),
          hallCode: 'HALL-A',
          generation: 1,
          issuedAt: Math.floor(Date.now() / 1000),
        },
        keys,
      );
      frames = qrY4m(await renderQrPng(candidate, { scale: 4 }), { width: 640, height: 480, fps: 10, seconds: 2 });
      if (decodeFirstFrame(frames, 640, 480) === candidate) ticket = candidate;
    }
    expect(ticket).not.toBe('');
    const video = join(work, 'ticket.y4m');
    writeFileSync(video, frames);
    mkdirSync(ARTIFACTS, { recursive: true });
    const dist = await buildRenderer(join(work, 'renderer'));
    stub = await startKioskStub(dist, (scan) =>
      scan.payload === ticket
        ? {
            result: 'SUCCESS',
            message: '✅ Valid ticket. Welcome!',
            seat_id: 's1',
            row: 'C',
            number: 7,
            category: 'CAT2',
            holder: 'Demo Fan',
            event_name: 'Arena Night',
          }
        : { result: 'QR_INVALID', message: '🚫 Invalid QR — Not a TicketGate ticket or tampered', seat_id: null },
    );
    stub.status = { hall_id: 'HALL-A', device_name: 'Gate 1', connectivity: 'online', backlog: 0, last_sync_at: new Date().toISOString() };
    const fakeCamera = ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`];
    [withoutCamera] = await Promise.all([launchChromium()]);

    // A device-bound code as the fan app shows it: a phone-sized (390 × 844) screenshot,
    // the QR at 4 pixels per module, filmed as the camera frame.
    let phoneFrames: Buffer = Buffer.alloc(0);
    for (let attempt = 0; attempt < 5 && !deviceBound; attempt++) {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const now = Math.floor(Date.now() / 1000);
      const pass = issuePass(
        {
          seatId: crypto.randomUUID(),
          eventId: crypto.randomUUID(),
          hallCode: 'HALL-A',
          generation: 1,
          validFrom: now - 60,
          validUntil: now + 3600,
          device: { algorithm: 'Ed25519', publicKey: new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')) },
        },
        keys,
      );
      const step = stepAt(Date.now());
      const candidate = assembleCode(pass, step, new Uint8Array(sign(null, codeSignedMessage(pass, step), privateKey)));
      const shot = await phoneScreenshot(withoutCamera, await renderQrPng(candidate, { scale: 4 }));
      phoneFrames = qrY4m(shot, { width: 640, height: 848, fps: 10, seconds: 2 });
      if (decodeFirstFrame(phoneFrames, 640, 848) === candidate) deviceBound = candidate;
    }
    expect(deviceBound).not.toBe('');
    const phoneVideo = join(work, 'phone.y4m');
    writeFileSync(phoneVideo, phoneFrames);

    [withCamera, refusing, phoneCamera] = await Promise.all([
      // The fake UI answers the permission prompt with yes.
      launchChromium(['--use-fake-ui-for-media-stream', ...fakeCamera]),
      // A camera, but nobody to allow it: headless Chromium refuses the prompt.
      launchChromium(fakeCamera),
      launchChromium([
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${phoneVideo}`,
      ]),
    ]);
  });

  /** A phone screen (390 × 844 CSS px, as the fan app's ticket screen) showing the QR, screenshotted in Chromium. */
  async function phoneScreenshot(browser: Browser, qr: Buffer): Promise<Buffer> {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    await page.setContent(
      `<body style="margin:0;background:#f4f4f6;font:16px sans-serif"><header style="background:#1d3f8f;color:#fff;padding:12px 16px">TicketGate</header>` +
        `<main style="padding:16px"><h1>Arena Night</h1><div style="background:#fff;border-radius:12px;padding:16px;text-align:center">` +
        `<img alt="" src="data:image/png;base64,${qr.toString('base64')}"><p>New code in 0:11</p></div></main></body>`,
    );
    const shot = await page.screenshot();
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'device-code-phone-screenshot.png'), shot);
    await page.close();
    return shot;
  }

  afterAll(async () => {
    await Promise.all([withCamera?.close(), withoutCamera?.close(), refusing?.close(), phoneCamera?.close()]);
    await stub?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** Opens the kiosk with every camera stream the page obtains kept visible to the test. */
  async function openKiosk(browser: Browser, query: string): Promise<{ page: Page; errors: Error[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: Error[] = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.addInitScript(() => {
      const w = window as unknown as { __streams: MediaStream[] };
      w.__streams = [];
      const md = navigator.mediaDevices;
      if (!md) return;
      const original = md.getUserMedia.bind(md);
      md.getUserMedia = async (c) => {
        const s = await original(c);
        w.__streams.push(s);
        return s;
      };
    });
    await page.goto(`${stub.base}/${query}`);
    await expect.poll(() => page.textContent('#hall')).toBe('HALL-A');
    return { page, errors };
  }

  const liveTracks = (page: Page) =>
    page.evaluate(
      () =>
        (window as unknown as { __streams: MediaStream[] }).__streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live')
          .length,
    );

  it('submits a ticket held in front of the camera once, shows the verdict, and stops the camera when toggled off', async () => {
    expect(ticket).toMatch(/^[A-Z2-7]{258}$/);
    stub.scans.length = 0; // before the page opens: the camera starts with it
    const { page, errors } = await openKiosk(withCamera, '?camera=1');

    await expect.poll(() => stub.scans.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(stub.scans).toEqual([{ payload: ticket, source: 'camera' }]);
    await expect.poll(() => page.getAttribute('#verdict', 'data-result')).toBe('SUCCESS');
    expect(await page.textContent('#verdict-detail')).toContain('Row C · Seat 7');
    expect(await page.getAttribute('#camera-toggle', 'aria-pressed')).toBe('true');
    expect(await page.isVisible('#camera-preview')).toBe(true);
    await page.waitForTimeout(250); // let the colour transition finish
    await page.screenshot({ path: join(ARTIFACTS, 'kiosk-camera.png') });

    // The looping video keeps the same code in view, decoded twice a second:
    // past the repeat window it is still that one scan.
    await page.waitForTimeout(REPEAT_WINDOW_MS + 1500);
    expect(stub.scans).toEqual([{ payload: ticket, source: 'camera' }]);

    await page.click('#camera-toggle');
    expect(await page.getAttribute('#camera-toggle', 'aria-pressed')).toBe('false');
    expect(await page.isVisible('#camera-preview')).toBe(false);
    expect(await page.evaluate(() => (document.getElementById('camera-preview') as HTMLVideoElement).srcObject)).toBeNull();
    await expect.poll(() => liveTracks(page)).toBe(0);

    // Off for longer than the window, then on again: the same ticket, shown anew, is a new scan.
    await page.waitForTimeout(REPEAT_WINDOW_MS + 500);
    expect(stub.scans).toHaveLength(1);
    await page.click('#camera-toggle');
    await expect.poll(() => stub.scans.length, { timeout: 20_000 }).toBe(2);
    expect(stub.scans[1]).toEqual({ payload: ticket, source: 'camera' });
    expect(await liveTracks(page)).toBe(1);

    expect(errors).toEqual([]);
    await page.close();
  });

  it('reads a device-bound code (426 characters, QR version 13-M) off a phone-sized screenshot', async () => {
    expect(deviceBound).toMatch(/^A[I-L][A-Z2-7]{424}$/);
    expect(qrVersionOf(deviceBound)).toBe(13);
    stub.scans.length = 0;
    const { page, errors } = await openKiosk(phoneCamera, '?camera=1');
    await expect.poll(() => stub.scans.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(stub.scans[0]).toEqual({ payload: deviceBound, source: 'camera' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stays off until asked for', async () => {
    const { page } = await openKiosk(withCamera, '');
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => (window as unknown as { __streams: MediaStream[] }).__streams.length)).toBe(0);
    expect(await page.getAttribute('#camera-toggle', 'aria-pressed')).toBe('false');
    expect(await page.isVisible('#camera-preview')).toBe(false);
    await page.close();
  });

  it('says there is no camera instead of failing when the gate has none', async () => {
    const { page, errors } = await openKiosk(withoutCamera, '?camera=1');
    await expect.poll(() => page.textContent('#camera-status')).toContain('No camera found');
    expect(await page.getAttribute('#camera-status', 'data-state')).toBe('failed');
    await page.screenshot({ path: join(ARTIFACTS, 'kiosk-no-camera.png') });
    expect(await page.getAttribute('#camera-toggle', 'aria-pressed')).toBe('false');
    expect(await page.isVisible('#camera-preview')).toBe(false);
    // The rest of the kiosk still works.
    await page.fill('#manual-input', 'NOT-A-TICKET');
    await page.click('#manual button');
    await expect.poll(() => page.getAttribute('#verdict', 'data-result')).toBe('QR_INVALID');
    // The button tries again and says so again.
    await page.click('#camera-toggle');
    await expect.poll(() => page.textContent('#camera-status')).toContain('No camera found');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says the permission was denied when the browser refuses the camera', async () => {
    const { page, errors } = await openKiosk(refusing, '?camera=1');
    await expect.poll(() => page.textContent('#camera-status')).toContain('permission denied');
    expect(await page.getAttribute('#camera-status', 'data-state')).toBe('failed');
    expect(await liveTracks(page)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

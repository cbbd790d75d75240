// The Electron window's checks (main/web-guards.ts has no Electron imports, so they run here).
import { describe, expect, it } from 'vitest';
import { devtoolsAllowed, navigationAllowed, originOf, permissionAllowed } from '../src/main/web-guards.js';

const KIOSK = 'http://127.0.0.1:8100';

describe('kiosk window guards', () => {
  it('lets the window show its own origin only, compared exactly', () => {
    for (const url of [`${KIOSK}/`, `${KIOSK}/index.html?camera=1`, `${KIOSK}`, 'http://127.0.0.1:8100/#x'])
      expect(navigationAllowed(url, KIOSK), url).toBe(true);
    for (const url of [
      'http://127.0.0.1:8100@evil.example/', // starts with the kiosk URL; the host is evil.example
      'http://127.0.0.1:8100.evil.example/',
      'http://127.0.0.1:81000/',
      'http://127.0.0.1:8101/',
      'https://127.0.0.1:8100/',
      'http://localhost:8100/',
      'file:///etc/passwd',
      'data:text/html,<script>1</script>',
      'javascript:alert(1)',
      'about:blank',
      'not a url',
    ]) {
      expect(navigationAllowed(url, KIOSK), url).toBe(false);
    }
    expect(originOf('http://127.0.0.1:8100@evil.example/')).toBe('http://evil.example');
  });

  it('grants the camera to the kiosk page and nothing else to anyone', () => {
    expect(permissionAllowed({ permission: 'media', requestingUrl: `${KIOSK}/`, mediaTypes: ['video'] }, KIOSK)).toBe(true);
    expect(permissionAllowed({ permission: 'media', requestingUrl: KIOSK, mediaType: 'video' }, KIOSK)).toBe(true);
    // The microphone, an empty request, another origin, other permissions: refused.
    expect(permissionAllowed({ permission: 'media', requestingUrl: `${KIOSK}/`, mediaTypes: ['video', 'audio'] }, KIOSK)).toBe(false);
    expect(permissionAllowed({ permission: 'media', requestingUrl: `${KIOSK}/`, mediaTypes: ['audio'] }, KIOSK)).toBe(false);
    expect(permissionAllowed({ permission: 'media', requestingUrl: `${KIOSK}/`, mediaTypes: [] }, KIOSK)).toBe(false);
    expect(permissionAllowed({ permission: 'media', requestingUrl: KIOSK, mediaType: 'audio' }, KIOSK)).toBe(false);
    expect(permissionAllowed({ permission: 'media', requestingUrl: KIOSK }, KIOSK)).toBe(false);
    expect(
      permissionAllowed({ permission: 'media', requestingUrl: 'http://127.0.0.1:8100@evil.example/', mediaTypes: ['video'] }, KIOSK),
    ).toBe(false);
    expect(permissionAllowed({ permission: 'media', requestingUrl: 'https://evil.example/', mediaTypes: ['video'] }, KIOSK)).toBe(false);
    for (const permission of [
      'geolocation',
      'notifications',
      'clipboard-read',
      'hid',
      'serial',
      'usb',
      'openExternal',
      'fullscreen',
      'display-capture',
    ]) {
      expect(permissionAllowed({ permission, requestingUrl: `${KIOSK}/` }, KIOSK), permission).toBe(false);
    }
  });

  it('opens developer tools only in an unpackaged development build', () => {
    expect(devtoolsAllowed({ packaged: false, env: {} })).toBe(true);
    expect(devtoolsAllowed({ packaged: true, env: {} })).toBe(false);
    expect(devtoolsAllowed({ packaged: false, env: { NODE_ENV: 'production' } })).toBe(false);
  });
});

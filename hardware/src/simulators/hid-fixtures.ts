import type { PosLayout } from '../hid/pos-decoder.js';

/**
 * HID POS report fixtures for the scanner families whose report layouts are
 * documented publicly. See pos-decoder.ts for the byte layout of each.
 */
export interface PosScannerFamily {
  name: string;
  layout: PosLayout;
  vendorId?: number;
  productId?: number;
  usagePage: number;
  /** Where the report layout comes from. */
  source: string;
}

export const POS_FAMILIES = {
  honeywell: {
    name: 'Honeywell Voyager 1400g (USB HID POS mode)',
    layout: 'aim64',
    vendorId: 0x0c2e,
    productId: 0x0b8f,
    usagePage: 0x8c,
    source:
      'USB HID Point of Sale Usage Tables 1.02, Bar Code Scanner page 0x8C (scanned data report); ' +
      'Honeywell HID POS as implemented by github.com/NielsLeenheer/WebHidBarcodeScanner (report ID 2, ' +
      'length, AIM id, data, Code ID at byte 61, continuation at byte 63)',
  },
  accessIs: {
    name: 'Access-IS LSR116 / ATR110 barcode reader (HID)',
    layout: 'aim64',
    usagePage: 0x8c,
    source:
      'Access-IS LSR116 product manual, appendix A "HID reports" (2020) and ATR110 product manual, ' +
      'appendix "HID reports": report ID 2, length, 3-byte AIM id, 56 data bytes, further symbology id, ' +
      'reserved, data-continued bit',
  },
  microscan: {
    name: 'Microscan (Omron) MS-4 / Mini Hawk, Microscan HID',
    layout: 'microscan',
    usagePage: 0xff00,
    source: 'Microscan MS-4 and Mini Hawk help files, "Microscan HID Report Format": report ID 1, length 0–62, 62 data bytes',
  },
} as const satisfies Record<string, PosScannerFamily>;

export type PosFamilyId = keyof typeof POS_FAMILIES;

/** Splits a scan into 64-byte 'aim64' reports the way the devices do. */
export function buildAim64Reports(data: string | Uint8Array, opts: { aim?: string; vendorSymbology?: number } = {}): Uint8Array[] {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const aim = opts.aim ? Buffer.from(opts.aim, 'latin1') : Buffer.alloc(3);
  const reports: Uint8Array[] = [];
  for (let off = 0; off === 0 || off < bytes.length; off += 56) {
    const part = bytes.subarray(off, off + 56);
    const r = new Uint8Array(64);
    r[0] = 0x02;
    r[1] = part.length;
    r.set(aim.subarray(0, 3), 2);
    r.set(part, 5);
    r[61] = opts.vendorSymbology ?? 0;
    r[63] = off + 56 < bytes.length ? 0x01 : 0x00;
    reports.push(r);
  }
  return reports;
}

/** Splits data into Microscan HID reports: full 62-byte reports mean "more follows". */
export function buildMicroscanReports(data: string | Uint8Array): Uint8Array[] {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const reports: Uint8Array[] = [];
  for (let off = 0; off === 0 || off < bytes.length; off += 62) {
    const part = bytes.subarray(off, off + 62);
    const r = new Uint8Array(64);
    r[0] = 0x01;
    r[1] = part.length;
    r.set(part, 2);
    reports.push(r);
  }
  return reports;
}

export function buildPosReports(family: PosFamilyId, text: string, opts: { aim?: string; vendorSymbology?: number } = {}): Uint8Array[] {
  return POS_FAMILIES[family].layout === 'aim64' ? buildAim64Reports(text, opts) : buildMicroscanReports(text);
}

/**
 * A 64-byte report written out by hand: `head` is the hex of bytes 0…n, `at` sets
 * single bytes further on. Used for fixtures so that they do not depend on the
 * builders above (which share the decoder author's reading of the layout).
 */
export function report64(head: string, at: Record<number, number> = {}): Uint8Array {
  const r = new Uint8Array(64);
  r.set(Buffer.from(head.replace(/\s+/g, ''), 'hex'));
  for (const [k, v] of Object.entries(at)) r[Number(k)] = v;
  return r;
}

export interface PosFixture {
  name: string;
  family: PosFamilyId;
  reports: Uint8Array[];
  expect: { text: string; symbology?: string; aim?: string } | { problem: RegExp };
}

// 'JBSWY3DPEHPK3PXP' is Base32 for "Hello!\xde\xad\xbe\xef": the alphabet a ticket uses.
export const POS_FIXTURES: PosFixture[] = [
  {
    name: 'Honeywell, single report, QR with AIM ]Q1 and Code ID s',
    family: 'honeywell',
    // id=02 len=16 AIM "]Q1" data… ; byte 61 = 's' (QR), byte 63 = 0 (last report)
    reports: [report64('02 10 5d5131 4a42535759334450 4548504b33505850', { 61: 0x73 })],
    expect: { text: 'JBSWY3DPEHPK3PXP', symbology: 'qr', aim: ']Q1' },
  },
  {
    name: 'Honeywell, Code 128 without AIM (AIM bytes zero), symbology from Code ID j',
    family: 'honeywell',
    reports: [report64('02 0a 000000 31323334353637383930', { 61: 0x6a })],
    expect: { text: '1234567890', symbology: 'code128' },
  },
  {
    name: 'Access-IS, two reports (56 + 4 bytes), continuation bit set on the first',
    family: 'accessIs',
    reports: [
      report64('02 38 5d5130 ' + Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWX').toString('hex'), {
        61: 0x73,
        63: 0x01,
      }),
      report64('02 04 5d5130 ' + Buffer.from('YZ23').toString('hex'), { 61: 0x73, 63: 0x00 }),
    ],
    expect: { text: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ23', symbology: 'qr', aim: ']Q0' },
  },
  {
    name: 'Microscan, message split over a full 62-byte report and a short one',
    family: 'microscan',
    reports: [
      report64('01 3e ' + Buffer.from('A'.repeat(31) + 'B'.repeat(31)).toString('hex')),
      report64('01 06 ' + Buffer.from('CDEFGH').toString('hex')),
    ],
    expect: { text: 'A'.repeat(31) + 'B'.repeat(31) + 'CDEFGH' },
  },
  {
    name: 'Honeywell, malformed: length 0x40 exceeds the 56 data bytes',
    family: 'honeywell',
    reports: [report64('02 40 5d5131 41414141')],
    expect: { problem: /exceeds/ },
  },
  {
    name: 'Honeywell, malformed: truncated report (16 bytes)',
    family: 'honeywell',
    reports: [Uint8Array.from(Buffer.from('02105d51314a42535759334450454850', 'hex'))],
    expect: { problem: /expected 64/ },
  },
  {
    name: 'Access-IS, malformed: AIM field does not start with ]',
    family: 'accessIs',
    reports: [report64('02 04 415131 54455354')],
    expect: { problem: /AIM/ },
  },
];

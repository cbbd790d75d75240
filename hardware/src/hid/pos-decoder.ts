import { symbologyFromAim } from '../aim.js';

/**
 * HID POS barcode scanner input reports (usage page 0x8C, "Bar Code Scanner").
 *
 * Layout 'aim64' — the 64-byte "scanned data report" used by Honeywell HID POS
 * scanners and Access-IS readers (and other makers implementing the USB HID Point of
 * Sale Usage Tables 1.02 scanner page the same way):
 *   byte 0      report ID 0x02
 *   byte 1      number of data bytes in this report (0–56)
 *   bytes 2–4   AIM symbology identifier (']', code, modifier) or zeros
 *   bytes 5–60  data, zero padded
 *   byte 61     vendor symbology id (Honeywell "Code ID" character)
 *   byte 62     reserved
 *   byte 63     bit 0: "decoded data continued" — more reports follow for this scan
 * Sources: Access-IS LSR116/ATR110 product manuals, appendix "HID reports";
 * Honeywell's HID POS mode as read by NielsLeenheer/WebHidBarcodeScanner (report 2,
 * Code ID at byte 61, continuation at byte 63).
 *
 * Layout 'microscan' — Microscan (Omron) HID: report ID 0x01, length byte (0–62),
 * 62 data bytes, no symbology field. A full report means the message continues in
 * the next one. Source: Microscan MS-4 / Mini Hawk help, "Microscan HID Report Format".
 */
export type PosLayout = 'aim64' | 'microscan';
export const POS_LAYOUTS: readonly PosLayout[] = ['aim64', 'microscan'];

export const HID_POS_USAGE_PAGE = 0x8c;

export interface PosReport {
  data: Uint8Array;
  more: boolean;
  aim?: string;
  symbology?: string;
  /** Vendor symbology byte (Honeywell Code ID) when present. */
  vendorSymbology?: number;
}

export type PosDecodeResult =
  | { kind: 'data'; report: PosReport }
  /** A report that is not scan data (status, command replies): not an error. */
  | { kind: 'ignored'; reason: string }
  | { kind: 'malformed'; reason: string };

// Honeywell Code IDs for when the AIM bytes are zero (AIM transmission off).
const HONEYWELL_CODE_IDS: Record<string, string> = {
  s: 'qr',
  w: 'datamatrix',
  z: 'aztec',
  r: 'pdf417',
  j: 'code128',
  b: 'code39',
  d: 'ean13',
  D: 'ean8',
  c: 'upca',
  E: 'upce',
  e: 'itf',
  a: 'codabar',
  i: 'code93',
};

export function decodePosReport(bytes: Uint8Array, layout: PosLayout = 'aim64'): PosDecodeResult {
  return layout === 'aim64' ? decodeAim64(bytes) : decodeMicroscan(bytes);
}

function decodeAim64(raw: Uint8Array): PosDecodeResult {
  // Some stacks hand over numbered reports without their ID byte; 63 bytes can
  // only be that, since a full report with its ID is 64.
  const bytes = raw.length === 63 ? prepend(0x02, raw) : raw;
  if (bytes.length === 0) return { kind: 'malformed', reason: 'empty report' };
  if (bytes[0] !== 0x02) return { kind: 'ignored', reason: `report ID 0x${hex(bytes[0] as number)} is not scanned data` };
  if (bytes.length < 64) return { kind: 'malformed', reason: `scanned-data report is ${bytes.length} bytes, expected 64` };
  const length = bytes[1] as number;
  if (length > 56) return { kind: 'malformed', reason: `data length ${length} exceeds the 56 data bytes of a report` };
  const aimBytes = bytes.subarray(2, 5);
  let aim: string | undefined;
  if (aimBytes[0] === 0x5d) {
    aim = String.fromCharCode(...aimBytes);
    if (!/^\][\x21-\x7e]{2}$/.test(aim)) return { kind: 'malformed', reason: 'AIM identifier has non-printable bytes' };
  } else if (aimBytes.some((b) => b !== 0)) {
    return { kind: 'malformed', reason: `AIM identifier must start with ']' (got 0x${hex(aimBytes[0] as number)})` };
  }
  const vendor = bytes[61] as number;
  const more = ((bytes[63] as number) & 0x01) === 1;
  const report: PosReport = { data: bytes.slice(5, 5 + length), more };
  if (aim) report.aim = aim;
  if (vendor !== 0) report.vendorSymbology = vendor;
  const symbology = (aim && symbologyFromAim(aim)) ?? (vendor ? HONEYWELL_CODE_IDS[String.fromCharCode(vendor)] : undefined);
  if (symbology) report.symbology = symbology;
  return { kind: 'data', report };
}

function decodeMicroscan(bytes: Uint8Array): PosDecodeResult {
  if (bytes.length === 0) return { kind: 'malformed', reason: 'empty report' };
  if (bytes[0] !== 0x01) return { kind: 'ignored', reason: `report ID 0x${hex(bytes[0] as number)} is not Microscan data` };
  if (bytes.length < 2) return { kind: 'malformed', reason: 'report has no length byte' };
  const length = bytes[1] as number;
  const capacity = Math.min(62, bytes.length - 2);
  if (length > capacity) return { kind: 'malformed', reason: `data length ${length} exceeds the ${capacity} data bytes of the report` };
  return { kind: 'data', report: { data: bytes.slice(2, 2 + length), more: length === 62 } };
}

function prepend(b: number, rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(rest.length + 1);
  out[0] = b;
  out.set(rest, 1);
  return out;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

export type AssemblerEvent = { type: 'scan'; data: Uint8Array; aim?: string; symbology?: string } | { type: 'problem'; message: string };

/**
 * Joins multi-report scans. A malformed report in the middle of a scan poisons the
 * whole scan: emitting the rest would hand the gate a truncated code.
 */
export class PosAssembler {
  #parts: Uint8Array[] = [];
  #first: PosReport | undefined;
  // After a malformed report we cannot tell whether the following reports continue
  // the broken scan, so they are dropped up to the next "last report" (or a pause).
  #resync = false;
  readonly #maxBytes: number;

  constructor(
    readonly layout: PosLayout = 'aim64',
    opts: { maxBytes?: number } = {},
  ) {
    this.#maxBytes = opts.maxBytes ?? 8192;
  }

  get pending(): boolean {
    return this.#first !== undefined || this.#resync;
  }

  push(bytes: Uint8Array): AssemblerEvent[] {
    const res = decodePosReport(bytes, this.layout);
    if (res.kind === 'ignored') return [];
    if (res.kind === 'malformed') {
      const dropped = this.#drop();
      this.#resync = true;
      return [{ type: 'problem', message: `malformed HID POS report: ${res.reason}${dropped ? '; partial scan dropped' : ''}` }];
    }
    const r = res.report;
    if (this.#resync) {
      if (!r.more) this.#resync = false;
      return r.more ? [] : [{ type: 'problem', message: 'dropped the rest of a scan broken by a malformed report' }];
    }
    this.#first ??= r;
    this.#parts.push(r.data);
    const total = this.#parts.reduce((n, p) => n + p.length, 0);
    if (total > this.#maxBytes) {
      this.#drop();
      return [{ type: 'problem', message: `HID POS scan exceeds ${this.#maxBytes} bytes; dropped` }];
    }
    if (r.more) return [];
    return [this.#complete()];
  }

  /**
   * Called when reports stop arriving. With an explicit continuation flag a missing
   * last report means a broken scan; Microscan has no flag, so a full final report
   * followed by silence is a complete message of exactly 62·n bytes.
   */
  timeout(): AssemblerEvent[] {
    // Silence separates scans: whatever follows is a new one.
    this.#resync = false;
    if (!this.#first) return [];
    if (this.layout === 'microscan') return [this.#complete()];
    this.#drop();
    return [{ type: 'problem', message: 'HID POS scan announced more data that never came; dropped' }];
  }

  #complete(): AssemblerEvent {
    const first = this.#first as PosReport;
    const total = this.#parts.reduce((n, p) => n + p.length, 0);
    const data = new Uint8Array(total);
    let off = 0;
    for (const p of this.#parts) {
      data.set(p, off);
      off += p.length;
    }
    this.#parts = [];
    this.#first = undefined;
    const ev: AssemblerEvent = { type: 'scan', data };
    if (first.aim) ev.aim = first.aim;
    if (first.symbology) ev.symbology = first.symbology;
    return ev;
  }

  #drop(): boolean {
    const had = this.#first !== undefined;
    this.#parts = [];
    this.#first = undefined;
    return had;
  }
}

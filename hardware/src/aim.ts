/**
 * AIM symbology identifiers (ISO/IEC 15424): `]` + code character + modifier.
 * Scanners prepend them when "transmit AIM ID" is on; HID POS reports carry them
 * in their own bytes. We map the code character to a stable lower-case name so the
 * gate can log symbologies without knowing scanner vendors.
 */
const AIM_CODES: Record<string, string> = {
  A: 'code39',
  B: 'telepen',
  C: 'code128',
  D: 'code-one',
  E: 'ean-upc',
  F: 'codabar',
  G: 'code93',
  H: 'code11',
  I: 'itf',
  K: 'code16k',
  L: 'pdf417',
  M: 'msi',
  N: 'anker',
  O: 'codablock',
  P: 'plessey',
  Q: 'qr',
  R: 'straight-2of5',
  S: 'straight-2of5',
  T: 'code49',
  U: 'maxicode',
  X: 'other',
  Z: 'non-barcode',
  c: 'channel-code',
  d: 'datamatrix',
  e: 'gs1-databar',
  g: 'grid-matrix',
  h: 'han-xin',
  o: 'ocr',
  z: 'aztec',
};

export function symbologyFromAim(aim: string): string | undefined {
  if (aim.length < 2 || aim[0] !== ']') return undefined;
  return AIM_CODES[aim[1] as string];
}

// Modifier characters are digits or upper-case letters in ISO/IEC 15424.
const AIM_PREFIX = /^\][A-Za-z][0-9A-Z]/;

/** Splits a leading AIM identifier off scan text, if there is one. */
export function stripAimPrefix(text: string): { text: string; aim?: string; symbology?: string } {
  const m = AIM_PREFIX.exec(text);
  if (!m) return { text };
  const aim = m[0];
  const symbology = symbologyFromAim(aim);
  return symbology ? { text: text.slice(aim.length), aim, symbology } : { text: text.slice(aim.length), aim };
}

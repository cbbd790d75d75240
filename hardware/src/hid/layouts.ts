/**
 * What a keyboard-mode scanner's key codes mean depends on the keyboard layout the
 * scanner was told to emulate (USB HID usage IDs name physical key positions, not
 * characters). These tables follow the Windows layouts that scanner manuals call
 * "USA", "UK", "German" and "French"; usages per the USB HID Usage Tables,
 * Keyboard/Keypad page 0x07. Pure data, no Node imports.
 */
export type LayoutId = 'us' | 'uk' | 'de' | 'fr';
export const LAYOUT_IDS: readonly LayoutId[] = ['us', 'uk', 'de', 'fr'];

/** A dead key produces nothing until the next key; `accent` is its spacing form. */
export interface DeadKey {
  dead: string;
}
export type KeyOutput = string | DeadKey | null;

/** [unshifted, shift, AltGr] */
export type KeyDef = readonly [KeyOutput, KeyOutput, KeyOutput?];

export interface Layout {
  id: LayoutId;
  name: string;
  keys: ReadonlyMap<number, KeyDef>;
}

export const USAGE = {
  A: 0x04,
  Z: 0x1d,
  DIGIT1: 0x1e,
  DIGIT0: 0x27,
  ENTER: 0x28,
  ESCAPE: 0x29,
  BACKSPACE: 0x2a,
  TAB: 0x2b,
  SPACE: 0x2c,
  CAPS_LOCK: 0x39,
  KP_ENTER: 0x58,
  KP_1: 0x59,
  KP_0: 0x62,
} as const;

export const MOD = {
  LCTRL: 0x01,
  LSHIFT: 0x02,
  LALT: 0x04,
  LGUI: 0x08,
  RCTRL: 0x10,
  RSHIFT: 0x20,
  RALT: 0x40,
  RGUI: 0x80,
} as const;

const d = (accent: string): DeadKey => ({ dead: accent });

function letters(overrides: Record<string, string> = {}): [number, KeyDef][] {
  const out: [number, KeyDef][] = [];
  const abc = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < abc.length; i++) {
    const ch = overrides[abc[i] as string] ?? (abc[i] as string);
    out.push([USAGE.A + i, [ch, ch.toUpperCase()]]);
  }
  return out;
}

function digitRow(shifted: string, unshifted = '1234567890', altgr: Record<number, KeyOutput> = {}): [number, KeyDef][] {
  const out: [number, KeyDef][] = [];
  for (let i = 0; i < 10; i++) {
    const def: KeyDef = [unshifted[i] as string, shifted[i] as string, altgr[i] ?? null];
    out.push([USAGE.DIGIT1 + i, def]);
  }
  return out;
}

function keypad(decimal: string): [number, KeyDef][] {
  const out: [number, KeyDef][] = [
    [0x54, ['/', '/']],
    [0x55, ['*', '*']],
    [0x56, ['-', '-']],
    [0x57, ['+', '+']],
    [0x63, [decimal, decimal]],
    [0x67, ['=', '=']],
  ];
  // Scanners send keypad digits assuming Num Lock on; reading the device directly
  // we do not depend on the host's Num Lock state.
  for (let i = 0; i < 9; i++) out.push([USAGE.KP_1 + i, [String(i + 1), String(i + 1)]]);
  out.push([USAGE.KP_0, ['0', '0']]);
  return out;
}

function build(id: LayoutId, name: string, entries: [number, KeyDef][]): Layout {
  const keys = new Map<number, KeyDef>([[USAGE.SPACE, [' ', ' ']], ...entries]);
  return { id, name, keys };
}

const US = build('us', 'English (US)', [
  ...letters(),
  ...digitRow('!@#$%^&*()'),
  ...keypad('.'),
  [0x2d, ['-', '_']],
  [0x2e, ['=', '+']],
  [0x2f, ['[', '{']],
  [0x30, [']', '}']],
  [0x31, ['\\', '|']],
  [0x32, ['\\', '|']],
  [0x33, [';', ':']],
  [0x34, ["'", '"']],
  [0x35, ['`', '~']],
  [0x36, [',', '<']],
  [0x37, ['.', '>']],
  [0x38, ['/', '?']],
  [0x64, ['\\', '|']],
]);

const UK = build('uk', 'English (UK)', [
  ...letters(),
  ...digitRow('!"£$%^&*()', '1234567890', { 3: '€' }),
  ...keypad('.'),
  [0x2d, ['-', '_']],
  [0x2e, ['=', '+']],
  [0x2f, ['[', '{']],
  [0x30, [']', '}']],
  // Windows maps both the US backslash usage and the ISO "Non-US #" usage to the
  // same scan code, so both give # ~ under UK.
  [0x31, ['#', '~']],
  [0x32, ['#', '~']],
  [0x33, [';', ':']],
  [0x34, ["'", '@']],
  [0x35, ['`', '¬', '¦']],
  [0x36, [',', '<']],
  [0x37, ['.', '>']],
  [0x38, ['/', '?']],
  [0x64, ['\\', '|']],
]);

const DE = build('de', 'German (QWERTZ)', [
  ...letters({ y: 'z', z: 'y' }),
  ...digitRow('!"§$%&/()=', '1234567890', { 1: '²', 2: '³', 6: '{', 7: '[', 8: ']', 9: '}' }),
  ...keypad(','),
  [0x2d, ['ß', '?', '\\']],
  [0x2e, [d('´'), d('`')]],
  [0x2f, ['ü', 'Ü']],
  [0x30, ['+', '*', '~']],
  [0x31, ['#', "'"]],
  [0x32, ['#', "'"]],
  [0x33, ['ö', 'Ö']],
  [0x34, ['ä', 'Ä']],
  [0x35, [d('^'), '°']],
  [0x36, [',', ';']],
  [0x37, ['.', ':']],
  [0x38, ['-', '_']],
  [0x64, ['<', '>', '|']],
]);
withAltGr(DE, { q: '@', e: '€', m: 'µ' });

const FR = build('fr', 'French (AZERTY)', [
  ...letters({ a: 'q', q: 'a', w: 'z', z: 'w' }),
  // AZERTY: digits need Shift; the unshifted row is punctuation and accented letters.
  ...digitRow('1234567890', '&é"\'(-è_çà', { 1: d('~'), 2: '#', 3: '{', 4: '[', 5: '|', 6: d('`'), 7: '\\', 8: '^', 9: '@' }),
  ...keypad('.'),
  [0x10, [',', '?']],
  [0x33, ['m', 'M']],
  [0x2d, [')', '°', ']']],
  [0x2e, ['=', '+', '}']],
  [0x2f, [d('^'), d('¨')]],
  [0x30, ['$', '£', '¤']],
  [0x31, ['*', 'µ']],
  [0x32, ['*', 'µ']],
  [0x34, ['ù', '%']],
  [0x35, ['²', null]],
  [0x36, [';', '.']],
  [0x37, [':', '/']],
  [0x38, ['!', '§']],
  [0x64, ['<', '>']],
]);
withAltGr(FR, { e: '€' });

function withAltGr(layout: Layout, byChar: Record<string, string>): void {
  const keys = layout.keys as Map<number, KeyDef>;
  for (const [usage, def] of keys) {
    const base = def[0];
    if (typeof base === 'string' && byChar[base] !== undefined) keys.set(usage, [def[0], def[1], byChar[base]]);
  }
}

export const LAYOUTS: Readonly<Record<LayoutId, Layout>> = { us: US, uk: UK, de: DE, fr: FR };

export function getLayout(id: LayoutId): Layout {
  return LAYOUTS[id];
}

const COMBINING: Record<string, string> = {
  '^': '\u0302',
  '´': '\u0301',
  '`': '\u0300',
  '¨': '\u0308',
  '~': '\u0303',
};

/** What Windows produces for dead key + next character. */
export function composeDead(accent: string, next: string): string {
  if (next === ' ') return accent;
  const mark = COMBINING[accent];
  if (mark) {
    const composed = (next + mark).normalize('NFC');
    if (composed.length === 1) return composed;
  }
  return accent + next;
}

// What a scanner or a person may wrap around the credential text: keyboard-wedge
// suffixes (CR, LF, Tab), other C0 controls some scanners send as prefix/suffix,
// and Unicode spaces from copy-paste. Shared by normaliseScan and the verifier so
// both accept exactly the same inputs.

export function isTrimmable(c: number): boolean {
  return (
    c <= 0x20 ||
    c === 0x7f ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

export function trimStart(text: string): number {
  let i = 0;
  while (i < text.length && isTrimmable(text.charCodeAt(i))) i++;
  return i;
}

export function trimEnd(text: string, start: number): number {
  let j = text.length;
  while (j > start && isTrimmable(text.charCodeAt(j - 1))) j--;
  return j;
}

/**
 * Trims surrounding whitespace and scanner suffixes and upper-cases ASCII letters.
 * Only ASCII: String#toUpperCase maps e.g. 'ı' to 'I', which would turn a non-Base32
 * scan into a Base32 one.
 */
export function normaliseScan(text: string): string {
  const s = trimStart(text);
  return text.slice(s, trimEnd(text, s)).replace(/[a-z]+/g, (m) => m.toUpperCase());
}

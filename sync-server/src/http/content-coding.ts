export type ContentCoding = 'br' | 'gzip' | 'identity';

/**
 * The content coding to answer with, from an Accept-Encoding header (RFC 9110
 * §12.5.3): the acceptable coding of `offered` with the highest q-value,
 * earlier in `offered` on a tie; identity when none is acceptable.
 */
export function negotiateCoding(
  acceptEncoding: string | string[] | undefined,
  offered: readonly Exclude<ContentCoding, 'identity'>[],
): ContentCoding {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  let best: ContentCoding = 'identity';
  let bestQ = 0;
  for (const coding of offered) {
    const value = q.get(coding) ?? q.get('*') ?? 0;
    if (value > bestQ) {
      best = coding;
      bestQ = value;
    }
  }
  return best;
}

/**
 * What an enrolment QR holds, so an operator's screen and a kiosk agree on it:
 * `ticketgate:enrol?code=CODE` with the server's URL beside it when the gate
 * does not know it yet. A kiosk also accepts the bare code, typed or scanned.
 */
export interface EnrolmentLink {
  code: string;
  server?: string;
}

const PREFIX = 'ticketgate:enrol?';
const CODE = /^[A-Za-z0-9-]{6,64}$/;
/** A bare code as operators read it out: groups of four base32 characters ("ABCD-EFGH-IJKL-MNOP"), so a stray word is never taken for one. */
const BARE_CODE = /^[A-Z2-7]{4}(?:-[A-Z2-7]{4}){1,12}$/i;

export function enrolmentLinkText(link: EnrolmentLink): string {
  const q = new URLSearchParams({ code: link.code });
  if (link.server) q.set('server', link.server);
  return `${PREFIX}${q.toString()}`;
}

/** The code (and server) in a scanned or typed text; null when it is not an enrolment code. */
export function parseEnrolmentText(text: string): EnrolmentLink | null {
  const t = text.trim();
  if (t.startsWith(PREFIX)) {
    const q = new URLSearchParams(t.slice(PREFIX.length));
    const code = q.get('code') ?? '';
    if (!CODE.test(code)) return null;
    const server = q.get('server');
    return server && /^https?:\/\//.test(server) ? { code, server } : { code };
  }
  return BARE_CODE.test(t) ? { code: t } : null;
}

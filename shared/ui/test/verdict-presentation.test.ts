import { SCAN_RESULTS } from '@ticketgate/protocol';
import { describe, expect, it } from 'vitest';
import { clockWithZone, durationInWords, enrolmentLinkText, parseEnrolmentText, presentVerdict, sinceInWords } from '../src/index.js';

describe('verdict presentation', () => {
  it('gives every verdict a one- or two-word headline and an instruction', () => {
    for (const r of SCAN_RESULTS) {
      const p = presentVerdict(r);
      expect(p.headline.split(' ').length).toBeLessThanOrEqual(2);
      expect(p.instruction.length).toBeGreaterThan(5);
    }
  });

  it('tells the steward when and where a used ticket entered, with the zone', () => {
    const p = presentVerdict('DUPLICATE', {
      firstAdmittedAt: '2026-01-10T18:02:16Z',
      firstAdmittedBy: 'Gate A2 north',
      timeZone: 'Europe/Berlin',
    });
    expect(p.headline).toBe('ALREADY USED');
    expect(p.instruction).toBe('Do not admit — entered 19:02:16 CET at Gate A2 north');
  });

  it('names the other venue and hall for a wrong hall, the code when it has no names', () => {
    expect(
      presentVerdict('WRONG_HALL', { correctHall: { code: 'HALL-B', hallName: 'Hall B', venueName: 'Esplanade Theatre' } }).instruction,
    ).toBe('Send to Esplanade Theatre, Hall B');
    expect(presentVerdict('WRONG_HALL', { correctHall: { code: 'HALL-B' } }).instruction).toBe('Send to hall HALL-B');
  });

  it('keeps used and expired apart by colour, icon, shape and words', () => {
    const d = presentVerdict('DUPLICATE');
    const e = presentVerdict('EXPIRED');
    expect(d.background).not.toBe(e.background);
    expect(d.icon).not.toBe(e.icon);
    expect(d.shape).not.toBe(e.shape);
    expect(d.headline).not.toBe(e.headline);
  });

  it('gives each tone its own colour, icon and shape', () => {
    const looks = SCAN_RESULTS.map((r) => presentVerdict(r)).filter((p, i, all) => all.findIndex((q) => q.tone === p.tone) === i);
    for (const key of ['background', 'icon', 'shape'] as const) expect(new Set(looks.map((p) => p[key])).size).toBe(looks.length);
  });
});

describe('time in words', () => {
  it('writes clock times with their zone', () => {
    expect(clockWithZone('2026-07-10T18:02:16Z', 'Europe/Berlin')).toBe('20:02:16 CEST');
    expect(clockWithZone('2026-07-10T18:02:16Z')).toBe('18:02:16 UTC');
  });
  it('writes durations in words', () => {
    expect(durationInWords(45_000)).toBe('45 s');
    expect(durationInWords(12 * 60_000 + 5_000)).toBe('12 min');
    expect(durationInWords(200 * 60_000)).toBe('3 h 20 min');
    expect(sinceInWords(null, 0)).toBe('never');
    expect(sinceInWords(1000, 61_000)).toBe('1 min ago');
  });
});

describe('enrolment link', () => {
  it('round-trips a code and a server, and accepts a bare code', () => {
    const text = enrolmentLinkText({ code: 'ABCD-EFGH-IJKL-MNOP', server: 'https://tickets.example' });
    expect(parseEnrolmentText(text)).toEqual({ code: 'ABCD-EFGH-IJKL-MNOP', server: 'https://tickets.example' });
    expect(parseEnrolmentText(' ABCD-EFGH-IJKL-MNOP ')).toEqual({ code: 'ABCD-EFGH-IJKL-MNOP' });
  });
  it('refuses tickets and odd servers', () => {
    expect(parseEnrolmentText('K'.repeat(258))).toBeNull();
    expect(parseEnrolmentText('SUCCESS')).toBeNull();
    expect(parseEnrolmentText('NOT-A-TICKET')).toBeNull();
    expect(parseEnrolmentText('ticketgate:enrol?code=ABCD-EFGH&server=javascript:alert(1)')).toEqual({ code: 'ABCD-EFGH' });
    expect(parseEnrolmentText('ticketgate:enrol?code=%3Cscript%3E')).toBeNull();
  });
});

export interface TicketClaims {
  /** UUID, lower-case canonical form when decoded. */
  seatId: string;
  /** UUID, lower-case canonical form when decoded. */
  eventId: string;
  /** 1–8 characters of A–Z, 0–9, '-'. */
  hallCode: string;
  /** uint32; bumped on every transfer or reissue so earlier holders' codes stop matching the seat. */
  generation: number;
  /** Unix seconds, uint32. */
  issuedAt: number;
}

export const CREDENTIAL_TTL_SECONDS = 60;
export const DEFAULT_CLOCK_SKEW_SECONDS = 10;

export type InvalidReason =
  | 'not_base32'
  | 'wrong_length'
  | 'unknown_version'
  | 'unknown_key_id'
  | 'decryption_failed'
  | 'signature_failed'
  /** Device-bound code: the phone's signature over (pass, step) does not verify with the key its pass names. */
  | 'device_signature_failed';

export type VerifyOutcome =
  | { status: 'valid'; claims: TicketClaims; ageSeconds: number }
  | { status: 'expired'; claims: TicketClaims; ageSeconds: number }
  | { status: 'not_yet_valid'; claims: TicketClaims; ageSeconds: number }
  /** hallCode is only set with unknown_key_id: an unauthenticated hint so the gate can say where the ticket belongs. */
  | { status: 'invalid'; reason: InvalidReason; hallCode?: string };

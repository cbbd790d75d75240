import { signSync, type SyncKeyPair, type SyncSignedKind } from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.js';

/**
 * The nonce a gate sent with its request (docs/sync-protocol.md). Absent: the
 * reply is signed over an empty nonce, which no gate accepts (a gate always
 * sends one), so it serves other clients without being replayable to a gate.
 */
export function requestNonce(req: FastifyRequest): string {
  const raw = req.headers[sync.NONCE_HEADER];
  if (raw === undefined) return '';
  const parsed = sync.Nonce.safeParse(raw);
  if (!parsed.success) {
    throw new DomainError('VALIDATION_ERROR', `${sync.NONCE_HEADER} must be 22-64 base64url characters.`, [
      { field: `headers.${sync.NONCE_HEADER}`, message: 'not a nonce' },
    ]);
  }
  return parsed.data;
}

/**
 * Signs the exact bytes of a success reply and sets the signature header; the
 * caller sends those bytes (compressed or not: the signature covers them as
 * they were before any content-encoding).
 */
export function signReply(reply: FastifyReply, key: SyncKeyPair, kind: SyncSignedKind, nonce: string, body: Buffer): void {
  reply.header(sync.SIGNATURE_HEADER, signSync(key, kind, nonce, body));
}

/** A success envelope checked against its schema (as Fastify's serializer would), as bytes. */
export function envelopeBytes<T>(schema: { parse(v: unknown): T }, data: unknown): Buffer {
  return Buffer.from(JSON.stringify({ success: true, data: schema.parse(data) }));
}

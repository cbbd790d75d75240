import { z } from 'zod';
import { HallCode, UploadedScan } from './sync.js';

/**
 * The hall mesh (docs/mesh.md): what gates of one hall send each other on the
 * venue network. Every frame is one line of JSON, `{"b": <body>, "s": <sig>}`,
 * where `b` is the message body as a JSON string and `s` the sender's Ed25519
 * signature over exactly those bytes (signMeshMessage of @ticketgate/crypto).
 */

/** Most records in one message, and most origins in one digest: what one message may cost a receiver. */
export const MAX_RECORDS_PER_MESSAGE = 500;
export const MAX_DIGEST_ORIGINS = 512;
/** Longest frame a gate reads (bytes); a longer line ends the link. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * One admission, exit or annulment (the admission's scan again, `annulled_at`
 * set) as the mesh carries it: the very record the gate uploads to the server
 * (sync.UploadedScan, with the credential as its proof — for an exit too),
 * numbered by the gate that made it (`origin`) 1, 2, 3, … so peers can say how
 * far they hold its records.
 */
export const MeshRecord = z.object({
  origin: z.uuid(),
  seq: z.number().int().min(1),
  /** The admitting gate's name, shown as "admitted by". */
  admitted_by: z.string().min(1).max(64),
  scan: UploadedScan,
});
export type MeshRecord = z.infer<typeof MeshRecord>;

/** Per origin device: the highest seq up to which the sender holds every record (0: none). */
export const MeshDigest = z
  .record(z.uuid(), z.number().int().min(0))
  .refine((d) => Object.keys(d).length <= MAX_DIGEST_ORIGINS, `at most ${MAX_DIGEST_ORIGINS} origins`);
export type MeshDigest = z.infer<typeof MeshDigest>;

const Common = {
  v: z.literal(1),
  /** Random message id (128 bits, base64url): a second message with the same id is a replay. */
  id: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  /** Sender's clock, corrected by its server offset (epoch ms). */
  sent_at: z.number().int(),
  hall: HallCode,
  /** The sender's device certificate (tg.device-cert.v1…). */
  cert: z.string().min(1).max(2000),
};

export const MeshBody = z.discriminatedUnion('type', [
  /** "This is how far I hold each origin": the receiver answers with `records` it has beyond, then `caught_up`. */
  z.object({ ...Common, type: z.literal('digest'), payload: z.object({ digest: MeshDigest }) }),
  /** Admissions: pushed when made, or the answer to a digest. */
  z.object({
    ...Common,
    type: z.literal('records'),
    payload: z.object({ records: z.array(MeshRecord).max(MAX_RECORDS_PER_MESSAGE) }),
  }),
  /** The answer to the digest with id `reply_to` is complete. */
  z.object({ ...Common, type: z.literal('caught_up'), payload: z.object({ reply_to: z.string() }) }),
]);
export type MeshBody = z.infer<typeof MeshBody>;
export type MeshMessageType = MeshBody['type'];

export const MeshFrame = z.object({ b: z.string(), s: z.string() });

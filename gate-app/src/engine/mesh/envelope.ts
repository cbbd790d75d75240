// process: engine
import { randomBytes } from 'node:crypto';
import { signMeshMessage, verifyMeshMessage, type DeviceCertClaims } from '@ticketgate/crypto';
import { mesh } from '@ticketgate/protocol';
import type { MeshIdentity } from './identity.js';
import { ReplayGuard } from './replay-guard.js';

type Payloads = { [K in mesh.MeshMessageType]: Extract<mesh.MeshBody, { type: K }>['payload'] };

export type Opened = { ok: true; body: mesh.MeshBody; peer: DeviceCertClaims } | { ok: false; reason: string };

/**
 * Seals and opens mesh frames (docs/mesh.md, "Messages"). Opening checks, in
 * order: the frame's shape, the hall, the sender's certificate (pinned sync key,
 * validity, hall, revocation), the sender's signature over the exact body
 * bytes, the time window, and the id against replays. A message that fails any
 * check is refused whole.
 */
export class MeshEnvelope {
  private readonly replays: ReplayGuard;

  constructor(
    private readonly identity: MeshIdentity,
    /** This gate's corrected clock (epoch ms). */
    private readonly now: () => number,
    windowMs: number,
  ) {
    this.replays = new ReplayGuard(windowMs);
  }

  /** One frame line (with its newline), or null while this gate has no certificate. */
  seal<K extends mesh.MeshMessageType>(type: K, payload: Payloads[K]): { line: string; id: string } | null {
    const self = this.identity.self();
    if (!self) return null;
    const id = randomBytes(16).toString('base64url');
    const b = JSON.stringify({ v: 1, id, sent_at: Math.round(this.now()), hall: self.hallId, cert: self.cert, type, payload });
    return { line: `${JSON.stringify({ b, s: signMeshMessage(self.key, b) })}\n`, id };
  }

  open(line: string): Opened {
    const self = this.identity.self();
    if (!self) return { ok: false, reason: 'this gate has no mesh certificate yet' };
    let frame: { b: string; s: string };
    let body: mesh.MeshBody;
    try {
      frame = mesh.MeshFrame.parse(JSON.parse(line));
      const parsed = mesh.MeshBody.safeParse(JSON.parse(frame.b));
      if (!parsed.success) return { ok: false, reason: `not a mesh message: ${parsed.error.issues[0]?.message ?? ''}` };
      body = parsed.data;
    } catch {
      return { ok: false, reason: 'not a mesh frame' };
    }
    if (body.hall !== self.hallId) return { ok: false, reason: `message for hall ${body.hall}, not ${self.hallId}` };
    const peer = this.identity.checkPeer(body.cert, self.hallId);
    if (!peer.ok) return { ok: false, reason: `sender refused: ${peer.reason}` };
    if (peer.peer.deviceId === self.deviceId) return { ok: false, reason: 'a message of this gate itself' };
    if (!verifyMeshMessage(peer.peer.publicKey, frame.b, frame.s)) return { ok: false, reason: 'signature does not match (tampered)' };
    const replay = this.replays.admit(body.id, body.sent_at, this.now());
    if (replay) return { ok: false, reason: replay };
    return { ok: true, body, peer: peer.peer };
  }
}

// process: engine
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { mesh } from '@ticketgate/protocol';

/** Unsent bytes beyond which a peer that stopped reading is dropped (it catches up by digest when it returns). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * One TCP connection to a peer, either direction: newline-separated frames in
 * and out, each frame at most MAX_FRAME_BYTES. Knows nothing of what the frames
 * say; the node verifies them.
 */
export class MeshLink extends EventEmitter<{ line: [string]; close: [] }> {
  /** Device id of the peer, once one of its messages was accepted. */
  peerId: string | null = null;
  peerName: string | null = null;
  /** The (re)connect digest this gate sent and whose answer it still waits for, and when it was sent (monotonic ms). */
  pendingDigest: { id: string; at: number } | null = null;
  private buffer = '';
  private closed = false;

  constructor(
    private readonly socket: Socket,
    readonly address: string,
    readonly outbound: boolean,
  ) {
    super();
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.read(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  send(line: string): boolean {
    if (this.closed) return false;
    if (this.socket.writableLength > MAX_BUFFERED_BYTES) {
      this.close();
      return false;
    }
    this.socket.write(line);
    return true;
  }

  /** Resolves once the socket's send buffer is below `bytes` (or the link closed): a long answer waits for the peer to read. */
  async belowBuffered(bytes: number): Promise<void> {
    while (!this.closed && this.socket.writableLength > bytes) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.socket.off('drain', done);
          this.off('close', done);
          resolve();
        };
        this.socket.once('drain', done);
        this.once('close', done);
      });
    }
  }

  get open(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.emit('close');
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl < 0) break;
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (line.trim()) this.emit('line', line);
      if (this.closed) return;
    }
    if (this.buffer.length > mesh.MAX_FRAME_BYTES) this.close();
  }
}

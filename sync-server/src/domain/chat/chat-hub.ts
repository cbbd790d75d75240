import pg from 'pg';
import type { Pool } from '../../db/pool.js';

export const CHAT_CHANNEL = 'tg_chat';
export const CHAT_APPLICATION_NAME = 'ticketgate-chat';

export interface LiveChatMessage {
  id: string;
  conversation_id: string;
  sender_id: string;
  sender_type: 'user' | 'agent';
  content: string;
  timestamp: string;
  metadata: Record<string, unknown>;
}

export interface LiveEscalation {
  id: string;
  conversation_id: string;
  reason: string;
  timestamp: string;
  metadata: Record<string, unknown>;
}

export type ChatEvent = { type: 'message'; message: LiveChatMessage } | { type: 'escalation'; escalation: LiveEscalation };

/** A connected socket: one conversation, or (support staff) every escalation. */
export interface ChatListener {
  conversationId: string | { support: true };
  deliver(event: ChatEvent): void;
}

interface Notice {
  k: 'message' | 'escalation';
  id: string;
  conversation_id: string;
}

const RECONNECT_MS = 1000;

/**
 * Live chat across server instances: a dedicated PostgreSQL connection
 * LISTENs on the chat channel (a trigger NOTIFYs every committed message and
 * escalation, whichever instance or endpoint wrote it), reads the row once and
 * hands it to this instance's sockets. Started by the first listener, so an
 * instance nobody chats with holds no extra connection. Notices are handled one
 * at a time, so a conversation's messages arrive in commit order.
 */
export class ChatHub {
  private client: pg.Client | undefined;
  private starting: Promise<void> | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<ChatListener>();

  constructor(
    private readonly databaseUrl: string,
    private readonly pool: Pool,
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {}

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Adds a listener once the hub is listening (messages committed after this resolves reach it). */
  async subscribe(listener: ChatListener): Promise<() => void> {
    await this.start();
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.listeners.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private start(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.starting ??= this.connect().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async connect(): Promise<void> {
    if (this.stopped) throw new Error('chat hub stopped');
    const client = new pg.Client({ connectionString: this.databaseUrl, keepAlive: true, application_name: CHAT_APPLICATION_NAME });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (msg) => {
      if (msg.channel !== CHAT_CHANNEL || !msg.payload) return;
      const notice = JSON.parse(msg.payload) as Notice;
      this.chain = this.chain.then(() => this.route(notice)).catch((err) => this.log('chat hub: delivery failed', err));
    });
    await client.connect();
    await client.query(`LISTEN ${CHAT_CHANNEL}`);
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }

  /** A lost connection is replaced; messages committed in between are not replayed (clients read the history). */
  private lost(client: pg.Client, err?: unknown): void {
    if (client !== this.client || this.stopped) return;
    this.log('chat hub: LISTEN connection lost, reconnecting', err);
    this.client = undefined;
    client.end().catch(() => {});
    const again = () => {
      this.retry = setTimeout(() => void this.start().catch(again), RECONNECT_MS).unref();
    };
    again();
  }

  private wanted(n: Notice, l: ChatListener): boolean {
    return typeof l.conversationId === 'string' ? l.conversationId === n.conversation_id : n.k === 'escalation';
  }

  private async route(n: Notice): Promise<void> {
    const targets = [...this.listeners].filter((l) => this.wanted(n, l));
    if (!targets.length) return;
    const event = n.k === 'message' ? await this.message(n.id) : await this.escalation(n.id);
    if (!event) return;
    for (const l of targets) l.deliver(event);
  }

  private async message(id: string): Promise<ChatEvent | undefined> {
    const { rows } = await this.pool.query<{
      id: string;
      conversation_id: string;
      sender_id: string;
      sender_type: 'user' | 'agent';
      content: string;
      metadata: Record<string, unknown>;
      created_at: Date;
    }>('SELECT id, conversation_id, sender_id, sender_type, content, metadata, created_at FROM chat_messages WHERE id = $1', [id]);
    const r = rows[0];
    return (
      r && {
        type: 'message',
        message: {
          id: r.id,
          conversation_id: r.conversation_id,
          sender_id: r.sender_id,
          sender_type: r.sender_type,
          content: r.content,
          timestamp: r.created_at.toISOString(),
          metadata: r.metadata,
        },
      }
    );
  }

  private async escalation(id: string): Promise<ChatEvent | undefined> {
    const { rows } = await this.pool.query<{
      id: string;
      conversation_id: string;
      reason: string;
      metadata: Record<string, unknown>;
      created_at: Date;
    }>('SELECT id, conversation_id, reason, metadata, created_at FROM chat_escalations WHERE id = $1', [id]);
    const r = rows[0];
    return (
      r && {
        type: 'escalation',
        escalation: {
          id: r.id,
          conversation_id: r.conversation_id,
          reason: r.reason,
          timestamp: r.created_at.toISOString(),
          metadata: r.metadata,
        },
      }
    );
  }
}

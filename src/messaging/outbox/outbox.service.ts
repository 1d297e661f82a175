import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { AppConfig } from '../../config/app-config';
import { instanceIdOf } from '../instance-id';
import { MESSAGE_ID_HEADER, type OutgoingMessage } from '../message';

/** The outbox's refusal of a message over MESSAGE_MAX_BYTES: the same change is refused again however often it is tried. */
export function isRefusalToSend(error: unknown): error is AppError {
  return error instanceof AppError && error.code === ErrorCode.PAYLOAD_TOO_LARGE;
}

/** An outbox row as written: what the relay publishes, and the id it marks sent. */
export interface OutboxRecord {
  id: string;
  messageId: string;
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  body: Buffer;
  /**
   * Not to be published right after its write (a retry's backoff): the fast path leaves it to the
   * sweep. False for rows the sweep claimed, which are due.
   */
  delayed: boolean;
  /** When a delayed row is due, by this instance's clock: the relay wakes its sweep then. Unknown for rows the sweep claimed. */
  availableAt?: Date;
  /** After this the row is void (a command whose attempt is over): it is dropped, never published. */
  expiresAt: Date | null;
  /** How often the broker refused it so far (refusal-policy); known for rows the sweep claimed. */
  refusals?: number;
}

/** The message a row is published as. */
export function messageOf(record: OutboxRecord): OutgoingMessage {
  return { topic: record.topic, key: record.key ?? undefined, headers: record.headers, body: record.body };
}

const KAFKA_MAX_MESSAGE_BYTES = 1_000_000;
const OTHER_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export function messageMaxBytesOf(config: Pick<AppConfig, 'MESSAGE_MAX_BYTES' | 'MESSAGING_DRIVER'>): number {
  return config.MESSAGE_MAX_BYTES ?? (config.MESSAGING_DRIVER === 'kafka' ? KAFKA_MAX_MESSAGE_BYTES : OTHER_MAX_MESSAGE_BYTES);
}

/** `expiresAt`: a command's attempt deadline, after which the relay drops the row instead of publishing it. */
export type OutboxEntry = OutgoingMessage & {
  availableAt?: Date;
  expiresAt?: Date;
  /** Its `message_id` instead of a fresh one: a command's is its commandId, by which a retry not sent yet is voided. */
  messageId?: string;
};

/** Messages ready to be inserted: `json` is the one statement parameter `insertSql` reads them from. */
export interface StagedMessages {
  json: string;
  records: Array<Omit<OutboxRecord, 'id' | 'delayed'>>;
}

/** What the INSERT returns per row, as JSON when it is part of a larger statement. */
export interface InsertedOutboxRow {
  id: string | number;
  message_id: string;
  delayed: boolean;
}

/** insertSql's texts, by condition and parameter: the few the code passes. */
const insertTexts = new Map<string, Map<string, string>>();

/**
 * Writes messages in the caller's transaction or statement, so they exist exactly when the state
 * change does. Each row gets a fresh uuid (or the one it brings) as `message_id` and
 * `x-message-id`, which consumers deduplicate on. A row without a future `availableAt` gets the statement's now() as both
 * available_at and created_at; the INSERT returns whether available_at is later (`delayed`), which
 * is how the relay tells "publish right away" from "leave to the sweep" (see OutboxStore). The
 * database compares them: parsing the two timestamps of every message was 1.4% of the engine's
 * busy time.
 */
@Injectable()
export class OutboxService {
  private readonly maxBytes: number;
  private readonly maxWriteBytes: number;
  /** Written on every row: this instance's relay publishes them, and other instances' sweeps leave them to it. */
  private readonly writer: string;

  constructor(config: AppConfig) {
    this.writer = instanceIdOf(config);
    this.maxBytes = messageMaxBytesOf(config);
    this.maxWriteBytes = Math.max(config.OUTBOX_WRITE_MAX_BYTES, this.maxBytes);
  }

  /**
   * The INSERT of staged messages, whole or as a CTE of a larger statement (the engine writes a
   * transition's messages with its state change in one statement). One JSON parameter however
   * many rows, so the statement text never changes; rows get ids in the order given.
   */
  static insertSql(param: string, condition = 'true'): string {
    // The same string for the same arguments: the engine's write statements are looked up by their parts (writeStatement).
    let byParam = insertTexts.get(condition);
    if (!byParam) insertTexts.set(condition, (byParam = new Map()));
    let sql = byParam.get(param);
    if (sql === undefined) {
      sql = `INSERT INTO outbox (message_id, topic, key, headers, body, available_at, expires_at, written_by)
      SELECT m.message_id, m.topic, m.key, m.headers, m.body, GREATEST(COALESCE(m.available_at, now()), now()), m.expires_at, m.written_by
      FROM jsonb_to_recordset(${param}::jsonb)
        AS m(message_id uuid, topic varchar, key varchar, headers jsonb, body bytea, available_at timestamptz, expires_at timestamptz,
             written_by varchar)
      WHERE ${condition}
      RETURNING id, message_id, available_at > created_at AS delayed`;
      byParam.set(param, sql);
    }
    return sql;
  }

  /**
   * Throws PAYLOAD_TOO_LARGE for a message the broker would refuse, or for messages over
   * OUTBOX_WRITE_MAX_BYTES in all, before any is encoded: better a failed transition than an
   * unsendable row, or a write the database runs out of memory on.
   */
  stage(messages: OutboxEntry[]): StagedMessages {
    this.checkTotal(messages);
    const records: StagedMessages['records'] = [];
    const rows = messages.map((message) => {
      const messageId = message.messageId ?? randomUUID();
      const headers = { ...message.headers, [MESSAGE_ID_HEADER]: messageId };
      const key = message.key ?? null;
      this.checkSize(message.topic, key, headers, message.body);
      records.push({
        messageId, topic: message.topic, key, headers, body: message.body, availableAt: message.availableAt, expiresAt: message.expiresAt ?? null,
      });
      return {
        message_id: messageId, topic: message.topic, key, headers,
        body: `\\x${message.body.toString('hex')}`, available_at: message.availableAt?.toISOString() ?? null,
        expires_at: message.expiresAt?.toISOString() ?? null, written_by: this.writer,
      };
    });
    return { json: JSON.stringify(rows), records };
  }

  /** Pairs staged messages with the rows their INSERT returned (matched by message id: RETURNING order is not guaranteed). */
  recordsOf(staged: StagedMessages, inserted: InsertedOutboxRow[]): OutboxRecord[] {
    const byMessageId = new Map(inserted.map((row) => [row.message_id, row]));
    return staged.records.map((record) => {
      const row = byMessageId.get(record.messageId)!;
      return { ...record, id: String(row.id), delayed: row.delayed };
    });
  }

  private checkTotal(messages: OutboxEntry[]): void {
    let bytes = 0;
    for (const message of messages) bytes += message.body.length;
    if (bytes > this.maxWriteBytes) {
      throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The ${messages.length} messages this change would write are ${bytes} bytes in all, over `
        + `${this.maxWriteBytes} (OUTBOX_WRITE_MAX_BYTES): the change that would send them was not made`);
    }
  }

  private checkSize(topic: string, key: string | null, headers: Record<string, string>, body: Buffer): void {
    const bytes = body.length + Buffer.byteLength(key ?? '') + Buffer.byteLength(JSON.stringify(headers));
    if (bytes > this.maxBytes) {
      throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `A message for ${topic} would be ${bytes} bytes, over the `
        + `broker limit of ${this.maxBytes} (MESSAGE_MAX_BYTES): the change that would send it was not made`);
    }
  }

  /** One INSERT through the caller's manager (its transaction). */
  async append(manager: EntityManager, messages: OutboxEntry[]): Promise<OutboxRecord[]> {
    if (messages.length === 0) return [];
    const staged = this.stage(messages);
    return this.recordsOf(staged, await manager.query(OutboxService.insertSql('$1'), [staged.json]));
  }
}

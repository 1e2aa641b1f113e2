/**
 * Follows a growing file (`--tail PATH`) across rotation (rename + new file) and truncation
 * (copytruncate). The byte offset of the last line stored is persisted in `collector_offsets` in the
 * same transaction as the rows, so a restart neither skips nor repeats lines.
 */
import { createHash } from 'node:crypto';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Sql } from 'postgres';
import type { FlowFormat } from '../../core/flow/types';
import { isDatabaseUnavailable } from '../writer/database-errors';
import { QueueFullError, UnknownFormatError, type IngestService } from '../ingest/ingest-service';

export interface FileTailOptions {
  filePath: string;
  clusterDbId: number;
  clusterName: string;
  format?: FlowFormat;
  vpcFields?: string[];
  ingest: IngestService;
  sql: Sql;
  pollMs: number;
  maxBatchBytes: number;
  log: (message: string) => void;
}

interface OpenFile {
  handle: FileHandle;
  fileId: string;
  headHash: string;
  offset: number;
  /** Lines read so far from this file, for error line numbers. */
  lineNumber: number;
}

const HEAD_BYTES = 256;
const RETRY_MS = 1000;

export class FileTail {
  private readonly source: string;
  private current: OpenFile | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly options: FileTailOptions) {
    this.source = `tail:${path.resolve(options.filePath)}`;
  }

  get filePath(): string {
    return this.options.filePath;
  }

  start(): void {
    this.loop = this.run().catch((error: unknown) => {
      this.options.log(`collector: tail ${this.options.filePath} stopped: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.current?.handle.close().catch(() => {});
    this.current = null;
  }

  private async run(): Promise<void> {
    await this.resume();
    while (!this.stopped) {
      const progressed = await this.step();
      if (!progressed) await sleep(this.options.pollMs);
    }
  }

  /** Reopens where the last run stopped: the same file, or a rotated copy of it in the same folder. */
  private async resume(): Promise<void> {
    const [saved] = await this.options.sql<{ file_id: string; head_hash: string; offset_bytes: string }[]>`
      select file_id, head_hash, offset_bytes from collector_offsets where source = ${this.source}`;
    if (!saved) return;
    const savedOffset = Number(saved.offset_bytes);
    const candidate = await this.findFileById(saved.file_id);
    if (!candidate) {
      this.options.log(`collector: tail ${this.options.filePath}: the file read last time is gone; starting the current file from the beginning`);
      return;
    }
    const opened = await this.openFile(candidate);
    if (!opened) return;
    // Compare over as many bytes as the saved hash covered (the file may have grown since).
    if ((await readHeadHash(opened.handle, headLength(saved.head_hash))) !== saved.head_hash) {
      await opened.handle.close();
      this.options.log(`collector: tail ${this.options.filePath}: file content changed since last run; starting from the beginning`);
      return;
    }
    opened.offset = savedOffset;
    this.current = opened;
  }

  private async findFileById(fileId: string): Promise<string | undefined> {
    const directory = path.dirname(path.resolve(this.options.filePath));
    const base = path.basename(this.options.filePath);
    const names = [base, ...(await readdir(directory).catch(() => [] as string[])).filter((name) => name !== base && name.startsWith(base))];
    for (const name of names) {
      const candidate = path.join(directory, name);
      const info = await stat(candidate).catch(() => null);
      if (info && `${info.dev}:${info.ino}` === fileId) return candidate;
    }
    return undefined;
  }

  private async openFile(filePath: string): Promise<OpenFile | null> {
    const handle = await open(filePath, 'r').catch(() => null);
    if (!handle) return null;
    const info = await handle.stat();
    const headHash = await readHeadHash(handle, Math.min(HEAD_BYTES, info.size));
    return { handle, fileId: `${info.dev}:${info.ino}`, headHash, offset: 0, lineNumber: 0 };
  }

  /** Reads and stores what is new; returns whether anything happened (so the loop polls only when idle). */
  private async step(): Promise<boolean> {
    if (!this.current) {
      this.current = await this.openFile(this.options.filePath);
      if (!this.current) return false;
    }
    const file = this.current;
    const info = await file.handle.stat();
    if (info.size < file.offset) {
      this.options.log(`collector: tail ${this.options.filePath}: truncated; reading from the beginning`);
      file.offset = 0;
      file.lineNumber = 0;
    }
    // The head hash is fixed once the file holds HEAD_BYTES; before that, refresh it as it grows.
    if (headLength(file.headHash) < HEAD_BYTES && info.size > headLength(file.headHash)) {
      file.headHash = await readHeadHash(file.handle, Math.min(HEAD_BYTES, info.size));
    }
    if (info.size > file.offset) {
      const length = Math.min(info.size - file.offset, this.options.maxBatchBytes);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.handle.read(buffer, 0, length, file.offset);
      const lastNewline = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (lastNewline >= 0) {
        const chunk = buffer.subarray(0, lastNewline + 1).toString('utf8');
        const nextOffset = file.offset + lastNewline + 1;
        const stored = await this.store(file, chunk, nextOffset);
        if (stored) {
          file.lineNumber += countNewlines(chunk);
          file.offset = nextOffset;
        }
        return true;
      }
      if (bytesRead === this.options.maxBatchBytes) {
        // One line longer than a whole batch: store it as an error rather than wait forever.
        const nextOffset = file.offset + bytesRead;
        await this.store(file, buffer.toString('utf8'), nextOffset);
        file.offset = nextOffset;
        return true;
      }
    }
    // Fully read: has the path been rotated to a new file?
    const pathInfo = await stat(this.options.filePath).catch(() => null);
    if (pathInfo && `${pathInfo.dev}:${pathInfo.ino}` !== file.fileId) {
      const rest = await file.handle.stat();
      if (rest.size > file.offset) return true; // the old file grew meanwhile: drain it first
      this.options.log(`collector: tail ${this.options.filePath}: rotated; following the new file`);
      await file.handle.close();
      this.current = null;
      return true;
    }
    return false;
  }

  private async store(file: OpenFile, chunk: string, nextOffset: number): Promise<boolean> {
    const base = {
      clusterDbId: this.options.clusterDbId,
      clusterName: this.options.clusterName,
      text: chunk,
      ...(this.options.format ? { format: this.options.format } : {}),
      ...(this.options.vpcFields ? { vpcFields: this.options.vpcFields } : {}),
      origin: this.source,
      lineOffset: file.lineNumber,
      offset: { source: this.source, fileId: file.fileId, headHash: file.headHash, offsetBytes: nextOffset },
    };
    while (!this.stopped) {
      try {
        await this.options.ingest.ingest(base);
        return true;
      } catch (error) {
        if (error instanceof UnknownFormatError) {
          await this.options.ingest.rejectAll(base, error.message);
          return true;
        }
        if (error instanceof QueueFullError || isDatabaseUnavailable(error)) {
          await sleep(RETRY_MS);
          continue;
        }
        throw error;
      }
    }
    return false;
  }
}

/** `length:sha256` of the file's first bytes: tells a rewritten file from the one the offset belongs to. */
async function readHeadHash(handle: FileHandle, length: number): Promise<string> {
  const head = Buffer.alloc(length);
  const { bytesRead } = length > 0 ? await handle.read(head, 0, length, 0) : { bytesRead: 0 };
  return `${bytesRead}:${createHash('sha256').update(head.subarray(0, bytesRead)).digest('hex')}`;
}

function headLength(hash: string): number {
  return Number.parseInt(hash, 10) || 0;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) count += 1;
  return count;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

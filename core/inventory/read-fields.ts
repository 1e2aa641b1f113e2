import type { Protocol, StringMap } from './types';

/**
 * Internal: thrown by the readers below and caught by `buildInventory`, which turns it into a tagged
 * `InventoryError` for the one document. It never escapes this folder's exported functions.
 */
export class FieldProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly problemKind: 'invalid-field' | 'unsupported-api-version' = 'invalid-field',
  ) {
    super(message);
  }
}

export type UnknownRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function joinField(parent: string, child: string | number): string {
  if (typeof child === 'number') return `${parent}[${child}]`;
  return parent === '' ? child : `${parent}.${child}`;
}

/** An optional object field; absent or null gives undefined. */
export function optionalRecord(parent: UnknownRecord, key: string, field: string): UnknownRecord | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new FieldProblem(joinField(field, key), 'must be an object');
  return value;
}

/** An optional list field; absent or null gives an empty list. */
export function optionalList(parent: UnknownRecord, key: string, field: string): unknown[] {
  const value = parent[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FieldProblem(joinField(field, key), 'must be a list');
  return value;
}

export function optionalString(parent: UnknownRecord, key: string, field: string): string | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FieldProblem(joinField(field, key), 'must be a string');
  return value;
}

/** Reads a label/annotation map, stringifying scalar values (YAML turns `"true"` typos into booleans). */
export function readStringMap(value: unknown, field: string): StringMap {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new FieldProblem(field, 'must be a map of strings');
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (typeof raw === 'string') out[key] = raw;
    else if (typeof raw === 'number' || typeof raw === 'boolean') out[key] = String(raw);
    else if (raw === null) out[key] = '';
    else throw new FieldProblem(joinField(field, key), 'must be a string');
  }
  return out;
}

/** Lenient map reader for non-policy objects: drops non-string values instead of failing. */
export function readStringMapLenient(value: unknown): StringMap {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (typeof raw === 'string') out[key] = raw;
    else if (typeof raw === 'number' || typeof raw === 'boolean') out[key] = String(raw);
  }
  return out;
}

/** Protocol with the Kubernetes default (TCP). */
export function readProtocol(value: unknown, field: string): Protocol {
  if (value === undefined || value === null) return 'TCP';
  if (value === 'TCP' || value === 'UDP' || value === 'SCTP') return value;
  throw new FieldProblem(field, `protocol must be TCP, UDP or SCTP, got ${JSON.stringify(value)}`);
}

/** A port number 1–65535. Accepts numeric strings, since YAML authors quote them. */
export function readPortNumber(value: unknown, field: string): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 65535) {
    throw new FieldProblem(field, `port must be an integer 1-65535, got ${JSON.stringify(value)}`);
  }
  return number;
}

const IANA_SERVICE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** True for a valid IANA service name (the form of a named container port). */
export function isServiceName(text: string): boolean {
  return text.length >= 1 && text.length <= 15 && IANA_SERVICE_NAME.test(text) && /[a-z]/.test(text) && !text.includes('--');
}

/** A port that may be a number or a named container port (NetworkPolicy `port`, Service `targetPort`). */
export function readPortOrName(value: unknown, field: string): number | string {
  if (typeof value === 'string' && !/^\d+$/.test(value)) {
    if (!isServiceName(value)) throw new FieldProblem(field, `"${value}" is neither a port number nor a valid port name`);
    return value;
  }
  return readPortNumber(value, field);
}

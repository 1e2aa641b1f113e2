/**
 * Where the shared real-world material lives (`../shared` beside the repository). Tests read it in
 * place and skip, saying why, when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const sharedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared');
export const sharedAvailable = existsSync(path.join(sharedDir, 'samples'));
export const sharedMissingReason = `shared samples not found at ${sharedDir}; these tests read ../shared in place`;

export function readSample(relativePath: string): string {
  return readFileSync(path.join(sharedDir, 'samples', relativePath), 'utf8');
}

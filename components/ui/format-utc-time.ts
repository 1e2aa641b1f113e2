/** "2026-11-27 14:05 UTC": absolute times are shown in UTC so server and browser render the same text. */
export function formatUtcTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

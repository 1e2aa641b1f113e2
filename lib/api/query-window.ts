/**
 * Query-parameter pieces every windowed API shares (flows, graph, GenAI): a time given as ISO 8601 or
 * epoch milliseconds, a comma-separated list, and the rules of a `range=custom` window.
 */
import { z } from 'zod';

/** ISO 8601 or epoch milliseconds; absent or empty → undefined. */
export const queryTime = z
  .string()
  .max(40)
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === '') return undefined;
    const ms = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
    if (!Number.isFinite(ms)) {
      context.addIssue({ code: 'custom', message: 'expected an ISO time or epoch milliseconds' });
      return z.NEVER;
    }
    return ms;
  });

/** `a,b,c` → the trimmed, non-empty entries (at most `maxItems`, each at most 300 characters). */
export const commaList = (maxItems: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value ? value.split(',').map((item) => item.trim()).filter(Boolean) : []))
    .pipe(z.array(z.string().max(300)).max(maxItems));

/** A `superRefine` for `{ range, from, to }`: a custom window needs both ends, in order, at most `maxMs` apart. */
export function refineCustomWindow(maxMs: number) {
  return (value: { range: string; from?: number | undefined; to?: number | undefined }, context: z.RefinementCtx): void => {
    if (value.range !== 'custom') return;
    if (value.from === undefined || value.to === undefined) context.addIssue({ code: 'custom', path: ['from'], message: 'a custom range needs from and to' });
    else if (value.to <= value.from) context.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    else if (value.to - value.from > maxMs) context.addIssue({ code: 'custom', path: ['from'], message: `the window is longer than ${Math.round(maxMs / 86_400_000)} days` });
  };
}

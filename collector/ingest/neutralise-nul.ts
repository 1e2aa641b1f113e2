/**
 * PostgreSQL `text` and `jsonb` cannot hold U+0000: one flow name carrying a NUL (raw, or the JSON
 * escape `\u0000`) used to fail its whole batch's transaction with a 500 — one hostile line poisoning
 * every good line sent with it, and a sender retrying forever. NULs become U+FFFD (the replacement
 * character) before parsing, so the line is stored (or reported) with the rest of its batch.
 * An escaped backslash before `u0000` (`\\u0000`, literal text) is left alone.
 */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const RAW_NUL = /\u0000/g;
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/gi;

export function neutraliseNul(text: string): string {
  if (!text.includes('\u0000') && !/\\u0000/i.test(text)) return text;
  return text.replace(RAW_NUL, '\ufffd').replace(ESCAPED_NUL, '$1\\ufffd');
}

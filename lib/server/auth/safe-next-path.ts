import 'server-only';

/**
 * The `next` query parameter, accepted only as a local path (`/flows?x=1`); anything else — absolute
 * URLs, `//host`, `/\host`, control characters — becomes `/`, so login cannot be used as an open redirect.
 */
export function safeNextPath(raw: string | string[] | undefined): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  if (value.startsWith('/login') || value.startsWith('/api/')) return '/';
  return value;
}

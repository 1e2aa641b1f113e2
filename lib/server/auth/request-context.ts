import 'server-only';

/** What the auth code needs to know about the caller, read from request headers. */
export interface RequestContext {
  ip: string;
  userAgent: string | null;
  /** True when the browser reached us over https (directly or through a TLS-terminating proxy). */
  secure: boolean;
}

export function requestContext(request: Request): RequestContext {
  const headers = request.headers;
  // NOTE: x-forwarded-for is set by `next start` itself (and by any reverse proxy in front of it);
  // its first entry is the client. Without it, all callers share the 'unknown' bucket.
  const forwardedFor = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  const ip = forwardedFor || headers.get('x-real-ip')?.trim() || 'unknown';
  const forwardedProto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const secure = forwardedProto ? forwardedProto === 'https' : new URL(request.url).protocol === 'https:';
  return { ip, userAgent: headers.get('user-agent'), secure };
}

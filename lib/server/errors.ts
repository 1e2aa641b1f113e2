import 'server-only';
import { ZodError } from 'zod';
import type { ApiErrorBody } from '../api/api-error';

/**
 * The server's one error type (STYLE rule 17): a code from a fixed table, each code one HTTP status.
 * Throw it from lib/server; route handlers turn any thrown value into a response with `errorResponse`.
 */
export const HTTP_STATUS_BY_CODE = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type AppErrorCode = keyof typeof HTTP_STATUS_BY_CODE;

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Extra response headers (e.g. `Retry-After` for `rate_limited`). */
  readonly headers: Record<string, string>;

  constructor(code: AppErrorCode, message: string, options: { cause?: unknown; headers?: Record<string, string> } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }
}

/**
 * Maps anything thrown in a route handler to a JSON error response:
 * AppError → its status; ZodError → 422 with the field paths; anything else → 500, cause logged, not shown.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const body: ApiErrorBody = { error: { code: error.code, message: error.message } };
    return Response.json(body, { status: error.status, headers: error.headers });
  }
  if (error instanceof ZodError) {
    const body: ApiErrorBody = {
      error: {
        code: 'validation_failed',
        message: 'The request is not valid: ' + error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '),
        issues: error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
      },
    };
    return Response.json(body, { status: HTTP_STATUS_BY_CODE.validation_failed });
  }
  console.error('flowlens: unhandled error in a route handler', error);
  const body: ApiErrorBody = { error: { code: 'internal', message: 'Internal error; the cause is in the server log.' } };
  return Response.json(body, { status: HTTP_STATUS_BY_CODE.internal });
}

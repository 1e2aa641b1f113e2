/** The JSON body of every error response from /api (see lib/server/errors.ts for the status table). */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    /** For `validation_failed`: which field was wrong and why (`path` is dot-joined, e.g. `password`). */
    issues?: { path: string; message: string }[];
  };
}

/** Thrown by client-side fetchers when /api answers with an error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, body: Partial<ApiErrorBody> | null) {
    super(body?.error?.message ?? `request failed with HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error?.code ?? 'unknown';
  }
}

import { ApiError, type ApiErrorBody } from '../api/api-error';

/**
 * GET a JSON resource from our own /api. A 401 means the session expired: send the browser to the
 * login page (coming back here afterwards) instead of showing a broken view.
 */
export async function fetchJson<T>(path: string, init: { signal?: AbortSignal } = {}): Promise<T> {
  const response = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' }, signal: init.signal });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as Partial<ApiErrorBody> | null;
    if (response.status === 401 && typeof window !== 'undefined') {
      const next = window.location.pathname + window.location.search;
      window.location.assign(`/login?next=${encodeURIComponent(next)}`);
    }
    throw new ApiError(response.status, body);
  }
  return (await response.json()) as T;
}

let csrfTokenPromise: Promise<string> | null = null;

/**
 * The session's CSRF token: from the `<meta name="csrf-token">` the signed-in layout renders, else
 * (once) from GET /api/auth/session.
 */
export function csrfToken(): Promise<string> {
  if (typeof document !== 'undefined') {
    const meta = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content');
    if (meta) return Promise.resolve(meta);
  }
  csrfTokenPromise ??= fetchJson<{ csrfToken: string }>('/api/auth/session').then(
    (body) => body.csrfToken,
    (error: unknown) => {
      csrfTokenPromise = null;
      throw error;
    },
  );
  return csrfTokenPromise;
}

/**
 * POST/PUT/PATCH/DELETE to our own /api with the session's CSRF token (`x-csrf-token`); every
 * state-changing route refuses a request without it. `body` is sent as JSON (a string or Blob as is).
 */
export async function sendJson<T>(
  path: string,
  init: { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown; contentType?: string; signal?: AbortSignal },
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-csrf-token': await csrfToken() };
  let body: BodyInit | undefined;
  if (init.body instanceof Blob || typeof init.body === 'string') {
    body = init.body;
    headers['content-type'] = init.contentType ?? 'text/plain';
  } else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(path, { method: init.method, credentials: 'same-origin', headers, body, signal: init.signal });
  if (!response.ok) {
    const errorBody = (await response.json().catch(() => null)) as Partial<ApiErrorBody> | null;
    if (response.status === 401 && typeof window !== 'undefined') {
      const next = window.location.pathname + window.location.search;
      window.location.assign(`/login?next=${encodeURIComponent(next)}`);
    }
    throw new ApiError(response.status, errorBody);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

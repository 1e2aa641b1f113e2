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

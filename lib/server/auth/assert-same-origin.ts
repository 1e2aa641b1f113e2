import 'server-only';
import { AppError } from '../errors';

/**
 * CSRF baseline for state-changing requests: the browser's Origin (or, failing that, Referer) must
 * name this host. Browsers always send Origin on POST, so a request without either is refused too.
 */
export function assertSameOrigin(request: Request): void {
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host');
  if (!host) throw new AppError('forbidden', 'Cross-site request refused: no Host header.');
  const origin = request.headers.get('origin');
  const referer = request.headers.get('referer');
  const claimed = origin && origin !== 'null' ? origin : referer;
  if (!claimed) throw new AppError('forbidden', 'Cross-site request refused: the request has no Origin.');
  let claimedHost: string;
  try {
    claimedHost = new URL(claimed).host;
  } catch {
    throw new AppError('forbidden', 'Cross-site request refused: the Origin is not a URL.');
  }
  if (claimedHost.toLowerCase() !== host.toLowerCase()) {
    throw new AppError('forbidden', `Cross-site request refused: origin ${claimedHost} is not ${host}.`);
  }
}

import 'server-only';
import { AppError } from '../errors';

/** Bodies the web API accepts: 1 MiB for JSON, 5 MiB for policy and inventory uploads. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
export const MAX_UPLOAD_BODY_BYTES = 5 * 1024 * 1024;

/**
 * Reads a request body as JSON with a hard size limit: a declared Content-Length over the limit is
 * refused before reading, a chunked body is cut off as soon as it passes it (413 either way).
 * Malformed JSON is a 400. Use `readTextBody` for YAML/text uploads.
 */
export async function readJsonBody(request: Request, options: { maxBytes?: number } = {}): Promise<unknown> {
  const text = await readTextBody(request, options);
  if (text.trim() === '') throw new AppError('bad_request', 'The request needs a JSON body.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.');
  }
}

export async function readTextBody(request: Request, options: { maxBytes?: number } = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? MAX_JSON_BODY_BYTES;
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The request body is over the limit of ${maxBytes} bytes.`);
}

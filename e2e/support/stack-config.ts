/** Where the e2e stack lives; fixed ports so a developer's own `npm start` (3000/4800/5433) is untouched. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const E2E_DATA_DIR = path.join(REPO_ROOT, '.test-data', 'e2e');
export const E2E_WEB_PORT = 3100;
export const E2E_COLLECTOR_PORT = 4900;
export const E2E_PG_PORT = 5499;
export const ADMIN_PASSWORD_FILE = path.join(E2E_DATA_DIR, 'admin-password');
/** The launcher prints this line once every part is up. */
export const READY_LINE = 'flowlens is ready';
/** Building Next on a 2-core machine takes minutes. */
export const READY_TIMEOUT_MS = 8 * 60 * 1000;

/** Playwright global setup: start the product once for the whole run; the returned function stops it. */
import type { FullConfig } from '@playwright/test';
import { adminPassword } from './admin-password';
import { startStack } from './start-stack';

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const stack = await startStack();
  try {
    // Fail here, once, with a clear message rather than in every test's fixture.
    adminPassword();
  } catch (error) {
    await stack.stop();
    throw new Error(`e2e: the launcher did not write the admin password file: ${String(error)}`, { cause: error });
  }
  // Returned function = global teardown (Playwright runs it after the last test, even on failure).
  return async () => {
    await stack.stop();
  };
}

/**
 * Test fixtures: every browser context blocks non-local hosts (the suite must not depend on, or leak
 * to, the internet), and `signedInPage` is a page whose context holds an admin session.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { adminPassword } from './admin-password';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export interface Fixtures {
  signedInPage: Page;
  adminPassword: string;
}

export const test = base.extend<Fixtures>({
  context: async ({ context }, use) => {
    await context.route('**/*', (route) => {
      const protocol = new URL(route.request().url()).protocol;
      const hostname = new URL(route.request().url()).hostname;
      if (protocol === 'data:' || protocol === 'blob:' || LOCAL_HOSTS.has(hostname)) return route.continue();
      return route.abort('blockedbyclient');
    });
    await use(context);
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their dependencies
  adminPassword: async ({}, use) => {
    await use(adminPassword());
  },
  signedInPage: async ({ page, baseURL, adminPassword: password }, use) => {
    // Sign in through the API (the login form has its own spec); page.request shares the context's cookies.
    const response = await page.request.post('/api/auth/login', {
      data: { username: 'admin', password },
      headers: { origin: baseURL ?? '' },
    });
    expect(response.status(), await response.text()).toBe(200);
    await use(page);
  },
});

export { expect };

import { expect, test } from './support/fixtures';

test.describe('sign-in', () => {
  test('a signed-out visitor is sent to the login page, signs in, and lands where they were going', async ({ page, adminPassword }) => {
    await page.goto('/settings');
    await expect(page).toHaveURL(/\/login\?next=%2Fsettings$/);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await expect(page.getByTestId('signed-in-user')).toContainText('admin');
  });

  test('a wrong password is refused with a clear message', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('definitely-not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error')).toHaveText('Wrong username or password');
    await expect(page).toHaveURL(/\/login/);
  });

  test('the API refuses requests without a session (401 JSON)', async ({ request }) => {
    const response = await request.get('/api/overview');
    expect(response.status()).toBe(401);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unauthenticated');
    expect(body.error.message).not.toBe('');
  });

  test('a cross-site login post is refused', async ({ request, adminPassword }) => {
    const response = await request.post('/api/auth/login', {
      data: { username: 'admin', password: adminPassword },
      headers: { origin: 'http://evil.example' },
    });
    expect(response.status()).toBe(403);
  });

  test('sign out ends the session', async ({ signedInPage: page }) => {
    await page.goto('/');
    await expect(page.getByTestId('signed-in-user')).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole('status')).toContainText('You have signed out');
    // The old cookie no longer opens anything: pages redirect, the API answers 401.
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
    expect((await page.request.get('/api/overview')).status()).toBe(401);
  });
});

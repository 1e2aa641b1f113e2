'use client';
import { useState, type FormEvent } from 'react';
import type { ApiErrorBody } from '@/lib/api/api-error';
import { loginRequestSchema } from '@/lib/api/login';

type FieldErrors = Partial<Record<'username' | 'password', string>>;

/**
 * Username/password form. Posts JSON to /api/auth/login and, on success, loads `nextPath` with a full
 * navigation so every server component renders with the new session.
 */
export function LoginForm(props: { nextPath: string; signedOut: boolean }) {
  const [pending, setPending] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const parsed = loginRequestSchema.safeParse({ username: data.get('username') ?? '', password: data.get('password') ?? '' });
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if ((field === 'username' || field === 'password') && !errors[field]) errors[field] = issue.message;
      }
      setFieldErrors(errors);
      setFormError(null);
      return;
    }
    setFieldErrors({});
    setFormError(null);
    setPending(true);
    try {
      const response = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(parsed.data),
        credentials: 'same-origin',
      });
      if (response.ok) {
        window.location.assign(props.nextPath);
        return;
      }
      const body = (await response.json().catch(() => null)) as Partial<ApiErrorBody> | null;
      setFormError(body?.error?.message ?? `Sign-in failed (HTTP ${response.status}).`);
    } catch {
      setFormError('The server did not answer. Check that flowlens is running and try again.');
    }
    setPending(false);
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby={formError ? 'login-error' : undefined}>
      {props.signedOut && !formError ? (
        <p className="form-info" role="status">
          You have signed out.
        </p>
      ) : null}
      {formError ? (
        <p className="form-alert" role="alert" id="login-error" data-testid="login-error">
          {formError}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="username">Username</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          aria-invalid={fieldErrors.username ? true : undefined}
          aria-describedby={fieldErrors.username ? 'username-error' : undefined}
        />
        {fieldErrors.username ? (
          <span className="field-error" id="username-error">
            {fieldErrors.username}
          </span>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={fieldErrors.password ? true : undefined}
          aria-describedby={fieldErrors.password ? 'password-error' : undefined}
        />
        {fieldErrors.password ? (
          <span className="field-error" id="password-error">
            {fieldErrors.password}
          </span>
        ) : null}
      </div>
      <button type="submit" className="button-primary" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

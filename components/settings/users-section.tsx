'use client';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CreatedUserDto, SettingsUserDto } from '@/lib/api/settings';
import { ROLE_NAMES, type RoleName } from '@/lib/api/session-user';
import { usersQueryOptions } from '@/lib/query/settings';
import { Panel } from '@/components/ui/panel';
import { SecretOnce } from './secret-once';
import { useSettingsMutation } from './use-settings-mutation';

function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Users: create (typed or generated password), role, scope, disable/enable, reset password. */
export function UsersSection() {
  const users = useQuery(usersQueryOptions());
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = useSettingsMutation<CreatedUserDto, Record<string, unknown>>((body) => ({ path: '/api/settings/users', method: 'POST', body }));
  const update = useSettingsMutation<unknown, { id: string; body: Record<string, unknown> }>((variables) => ({
    path: `/api/settings/users/${variables.id}`,
    method: 'PATCH',
    body: variables.body,
  }));
  const reset = useSettingsMutation<{ generatedPassword: string | null }, { id: string }>((variables) => ({
    path: `/api/settings/users/${variables.id}/password`,
    method: 'POST',
    body: {},
  }));

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const password = String(data.get('password') ?? '');
    setError(null);
    try {
      const created = await create.mutateAsync({
        username: String(data.get('username') ?? ''),
        displayName: String(data.get('displayName') ?? '') || undefined,
        role: String(data.get('role') ?? 'viewer'),
        ...(password ? { password } : {}),
        scopeClusters: splitList(String(data.get('scopeClusters') ?? '')),
        scopeNamespaces: splitList(String(data.get('scopeNamespaces') ?? '')),
      });
      form.reset();
      if (created.generatedPassword) setSecret({ label: `Password for ${created.user.username}`, value: created.generatedPassword });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  async function act(run: () => Promise<unknown>) {
    setError(null);
    try {
      await run();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  return (
    <Panel title="Users" testId="settings-users-section">
      {secret ? <SecretOnce label={secret.label} secret={secret.value} onDismiss={() => setSecret(null)} /> : null}
      {error ? (
        <p className="form-alert" role="alert">
          {error}
        </p>
      ) : null}
      <form className="settings-form" onSubmit={onCreate} aria-label="Add a user">
        <div className="field">
          <label htmlFor="new-username">Username</label>
          <input id="new-username" name="username" required autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="new-display">Display name</label>
          <input id="new-display" name="displayName" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="new-role">Role</label>
          <select id="new-role" name="role" defaultValue="viewer">
            {ROLE_NAMES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="new-password">Password (empty: generate)</label>
          <input id="new-password" name="password" type="password" autoComplete="new-password" minLength={12} />
        </div>
        <div className="field">
          <label htmlFor="new-scope-clusters">Clusters (empty: all)</label>
          <input id="new-scope-clusters" name="scopeClusters" placeholder="prod-east" />
        </div>
        <div className="field">
          <label htmlFor="new-scope-namespaces">Namespaces (empty: all)</label>
          <input id="new-scope-namespaces" name="scopeNamespaces" placeholder="prod-east/payments" />
        </div>
        <button type="submit" className="button-primary" disabled={create.isPending}>
          Add user
        </button>
      </form>
      {users.isError ? <p className="form-alert">{users.error.message}</p> : null}
      <div className="table-scroll">
        <table className="data" data-testid="settings-users">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">Scope</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(users.data?.users ?? []).map((user: SettingsUserDto) => (
              <tr key={user.id} data-testid={`user-row-${user.username}`}>
                <th scope="row" className="mono">
                  {user.username}
                  {user.displayName ? <span className="muted"> {user.displayName}</span> : null}
                  {user.sso ? <span className="muted small"> SSO</span> : null}
                </th>
                <td>
                  <select
                    aria-label={`Role of ${user.username}`}
                    value={user.role}
                    onChange={(event) => act(() => update.mutateAsync({ id: user.id, body: { role: event.target.value as RoleName } }))}
                  >
                    {ROLE_NAMES.map((role) => (
                      <option key={role}>{role}</option>
                    ))}
                  </select>
                </td>
                <td className="scope-list">
                  <ScopeEditor user={user} onSave={(body) => act(() => update.mutateAsync({ id: user.id, body }))} />
                </td>
                <td>{user.disabled ? 'disabled' : 'active'}</td>
                <td>
                  <div className="row-actions">
                    <button type="button" className="button-quiet" onClick={() => act(() => update.mutateAsync({ id: user.id, body: { disabled: !user.disabled } }))}>
                      {user.disabled ? 'Enable' : 'Disable'}
                    </button>
                    {!user.sso ? (
                      <button
                        type="button"
                        className="button-quiet"
                        onClick={() =>
                          act(async () => {
                            const result = await reset.mutateAsync({ id: user.id });
                            if (result.generatedPassword) setSecret({ label: `New password for ${user.username}`, value: result.generatedPassword });
                          })
                        }
                      >
                        Reset password
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function ScopeEditor(props: { user: SettingsUserDto; onSave: (body: { scopeClusters: string[]; scopeNamespaces: string[] }) => void }) {
  const [editing, setEditing] = useState(false);
  const { user } = props;
  if (!editing) {
    const empty = user.scopeClusters.length === 0 && user.scopeNamespaces.length === 0;
    return (
      <>
        {empty ? <span className="muted">everything</span> : [...user.scopeClusters, ...user.scopeNamespaces].join(', ')}{' '}
        <button type="button" className="button-quiet" onClick={() => setEditing(true)}>
          Edit
        </button>
      </>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        props.onSave({ scopeClusters: splitList(String(data.get('clusters') ?? '')), scopeNamespaces: splitList(String(data.get('namespaces') ?? '')) });
        setEditing(false);
      }}
    >
      <input name="clusters" aria-label="Clusters" defaultValue={user.scopeClusters.join(', ')} placeholder="clusters (empty: all)" />
      <input name="namespaces" aria-label="Namespaces" defaultValue={user.scopeNamespaces.join(', ')} placeholder="cluster/namespace" />
      <button type="submit" className="button-quiet">
        Save
      </button>
    </form>
  );
}

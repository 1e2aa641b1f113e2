'use client';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { AuditQuery } from '@/lib/api/settings';
import { auditQueryOptions, auditSearchParams } from '@/lib/query/settings';
import { formatUtcTime } from '@/components/ui/format-utc-time';
import { Panel } from '@/components/ui/panel';

/** The audit log with action/actor/time filters and a CSV export of the same filter. */
export function AuditLogView() {
  const [query, setQuery] = useState<AuditQuery>({ limit: 200 });
  const audit = useQuery(auditQueryOptions(query));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const from = String(data.get('from') ?? '');
    const to = String(data.get('to') ?? '');
    setQuery({
      limit: 200,
      action: String(data.get('action') ?? '') || undefined,
      actor: String(data.get('actor') ?? '') || undefined,
      fromMs: from ? Date.parse(`${from}T00:00:00Z`) : undefined,
      toMs: to ? Date.parse(`${to}T00:00:00Z`) + 86_400_000 : undefined,
    });
  }

  const { limit: _limit, ...exportQuery } = query;
  return (
    <Panel
      title="Audit log"
      testId="audit-log"
      actions={
        <a className="button-quiet" href={`/api/settings/audit/export?${auditSearchParams(exportQuery)}`} download>
          Export CSV
        </a>
      }
    >
      <form className="settings-form" onSubmit={onSubmit} aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="audit-action">Action starts with</label>
          <input id="audit-action" name="action" placeholder="login, user., token., flows.export" />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">Actor</label>
          <input id="audit-actor" name="actor" />
        </div>
        <div className="field">
          <label htmlFor="audit-from">From (UTC day)</label>
          <input id="audit-from" name="from" type="date" />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To (UTC day)</label>
          <input id="audit-to" name="to" type="date" />
        </div>
        <button type="submit" className="button-primary">
          Filter
        </button>
      </form>
      {audit.isError ? <p className="form-alert">{audit.error.message}</p> : null}
      <div className="table-scroll">
        <table className="data" data-testid="audit-table" data-state={audit.isFetching ? 'loading' : 'ready'}>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">From</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {(audit.data?.entries ?? []).map((entry) => (
              <tr key={entry.id}>
                <td>{formatUtcTime(entry.atMs)}</td>
                <td>{entry.actorName ?? '—'}</td>
                <td className="mono">{entry.action}</td>
                <td>{entry.target ?? ''}</td>
                <td className="mono">{entry.ip ?? ''}</td>
                <td className="mono small">{entry.details === null ? '' : JSON.stringify(entry.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {audit.data && audit.data.entries.length === 0 ? <p className="muted">No entries match.</p> : null}
    </Panel>
  );
}

'use client';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { RetentionDto } from '@/lib/api/settings';
import { retentionQueryOptions } from '@/lib/query/settings';
import { Panel } from '@/components/ui/panel';
import { useSettingsMutation } from './use-settings-mutation';

/** Days of raw flows and of hourly rollups; the collector drops whole day partitions past them. */
export function RetentionSection() {
  const retention = useQuery(retentionQueryOptions());
  const save = useSettingsMutation<RetentionDto, RetentionDto>((body) => ({ path: '/api/settings/retention', method: 'PUT', body }));
  const [message, setMessage] = useState<string | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    save.mutate(
      { rawFlowDays: Number(data.get('rawFlowDays')), rollupDays: Number(data.get('rollupDays')) },
      { onSuccess: () => setMessage('Saved; the collector applies it within the hour.'), onError: (error) => setMessage(error.message) },
    );
  }

  return (
    <Panel title="Retention" testId="settings-retention-section">
      {retention.data ? (
        <form className="settings-form" onSubmit={onSubmit} key={`${retention.data.rawFlowDays}-${retention.data.rollupDays}`}>
          <div className="field">
            <label htmlFor="raw-days">Raw flows and minute rollups (days)</label>
            <input id="raw-days" name="rawFlowDays" type="number" min={1} max={3650} defaultValue={retention.data.rawFlowDays} required />
          </div>
          <div className="field">
            <label htmlFor="rollup-days">Hourly rollups (days)</label>
            <input id="rollup-days" name="rollupDays" type="number" min={1} max={3650} defaultValue={retention.data.rollupDays} required />
          </div>
          <button type="submit" className="button-primary" disabled={save.isPending}>
            Save retention
          </button>
          {message ? <span role="status">{message}</span> : null}
        </form>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </Panel>
  );
}

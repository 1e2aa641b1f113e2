import { queryOptions } from '@tanstack/react-query';
import type { AuditEntryDto, AuditQuery, CollectorEndpointDto, RetentionDto, SettingsClusterDto, SettingsTokenDto, SettingsUserDto } from '../api/settings';
import { fetchJson } from './fetch-json';

export const settingsKeys = {
  all: ['settings'] as const,
  users: () => [...settingsKeys.all, 'users'] as const,
  clusters: () => [...settingsKeys.all, 'clusters'] as const,
  tokens: () => [...settingsKeys.all, 'tokens'] as const,
  retention: () => [...settingsKeys.all, 'retention'] as const,
  audit: (query: AuditQuery) => [...settingsKeys.all, 'audit', query] as const,
};

export function usersQueryOptions() {
  return queryOptions({
    queryKey: settingsKeys.users(),
    queryFn: ({ signal }) => fetchJson<{ users: SettingsUserDto[] }>('/api/settings/users', { signal }),
  });
}

export function clustersQueryOptions() {
  return queryOptions({
    queryKey: settingsKeys.clusters(),
    queryFn: ({ signal }) => fetchJson<{ clusters: SettingsClusterDto[]; collector: CollectorEndpointDto }>('/api/settings/clusters', { signal }),
  });
}

export function tokensQueryOptions() {
  return queryOptions({
    queryKey: settingsKeys.tokens(),
    queryFn: ({ signal }) => fetchJson<{ tokens: SettingsTokenDto[] }>('/api/settings/tokens', { signal }),
  });
}

export function retentionQueryOptions() {
  return queryOptions({
    queryKey: settingsKeys.retention(),
    queryFn: ({ signal }) => fetchJson<RetentionDto>('/api/settings/retention', { signal }),
  });
}

export function auditSearchParams(query: AuditQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  return params.toString();
}

export function auditQueryOptions(query: AuditQuery) {
  return queryOptions({
    queryKey: settingsKeys.audit(query),
    queryFn: ({ signal }) => fetchJson<{ entries: AuditEntryDto[] }>(`/api/settings/audit?${auditSearchParams(query)}`, { signal }),
  });
}

import type { ReactNode } from 'react';
import type { FlowEndpointDto, FlowRowDto, FlowSort } from '@/lib/api/flows';
import { formatCount } from '@/components/ui/format-count';
import { BYTES_NOT_REPORTED, bytesNotReported, formatBytes } from '@/components/ui/format-bytes';
import { VerdictBadge } from './verdict-badge';

export interface FlowColumn {
  id: string;
  label: string;
  widthPx: number;
  /** Server-side sort this column orders by. */
  sort?: FlowSort;
  numeric?: boolean;
  render: (row: FlowRowDto) => ReactNode;
  /** Text for the cell's title (full value when truncated). */
  title?: (row: FlowRowDto) => string;
}

export function endpointText(endpoint: FlowEndpointDto): string {
  if (endpoint.masked) return endpoint.name;
  if (endpoint.kind === 'external') return endpoint.domain ?? endpoint.ip ?? endpoint.name;
  return endpoint.namespace ? `${endpoint.namespace}/${endpoint.name}` : endpoint.name;
}

function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export const FLOW_COLUMNS: FlowColumn[] = [
  { id: 'time', label: 'Start (UTC)', widthPx: 172, sort: 'time', render: (row) => formatTime(row.startMs) },
  { id: 'cluster', label: 'Cluster', widthPx: 100, render: (row) => row.cluster },
  { id: 'source', label: 'Source', widthPx: 180, render: (row) => endpointText(row.source), title: (row) => endpointText(row.source) },
  { id: 'sourceIp', label: 'Source IP', widthPx: 120, render: (row) => row.source.ip ?? '—' },
  { id: 'sourcePod', label: 'Source pod', widthPx: 200, render: (row) => row.source.pod ?? '—', title: (row) => row.source.pod ?? '' },
  { id: 'destination', label: 'Destination', widthPx: 180, render: (row) => endpointText(row.destination), title: (row) => endpointText(row.destination) },
  { id: 'destinationIp', label: 'Destination IP', widthPx: 120, render: (row) => row.destination.ip ?? '—' },
  { id: 'destinationPod', label: 'Destination pod', widthPx: 200, render: (row) => row.destination.pod ?? '—', title: (row) => row.destination.pod ?? '' },
  { id: 'port', label: 'Port', widthPx: 90, render: (row) => `${row.port ?? '—'}/${row.protocol}` },
  { id: 'verdict', label: 'Verdict', widthPx: 104, render: (row) => <VerdictBadge verdict={row.verdict} /> },
  { id: 'policy', label: 'Policy', widthPx: 300, render: (row) => row.policyText, title: (row) => row.policyText },
  { id: 'dropReason', label: 'Drop reason', widthPx: 140, render: (row) => row.dropReason ?? '—' },
  { id: 'reporter', label: 'Reporter', widthPx: 100, render: (row) => row.reporter },
  { id: 'bytes', label: 'Bytes', widthPx: 90, sort: 'bytes', numeric: true, render: (row) => (bytesNotReported(row) ? '—' : formatBytes(row.bytesOut + row.bytesIn)), title: (row) => (bytesNotReported(row) ? BYTES_NOT_REPORTED : '') },
  { id: 'connections', label: 'Conns', widthPx: 70, sort: 'connections', numeric: true, render: (row) => formatCount(row.connections) },
];

export const DEFAULT_COLUMN_IDS = ['time', 'source', 'destination', 'port', 'verdict', 'policy', 'bytes', 'connections'];

import { describe, expect, it } from 'vitest';
import { BYTES_NOT_REPORTED } from '@/components/ui/format-bytes';
import { FLOW_COLUMNS } from './flow-columns';
import type { FlowRowDto } from '@/lib/api/flows';

const bytesColumn = FLOW_COLUMNS.find((column) => column.id === 'bytes');

function row(format: string, bytesOut: number, bytesIn: number, packets = 1): FlowRowDto {
  const endpoint = { kind: 'workload', name: 'a', namespace: 'ns', masked: false } as FlowRowDto['source'];
  return {
    key: '1:1', id: '1', clusterId: 1, cluster: 'c', startMs: 0, endMs: 0, source: endpoint, destination: endpoint, protocol: 'TCP', port: 80,
    verdict: 'allowed', reporter: 'observer', dropReason: null, policyKey: '', policyText: '', pendingVerdict: null,
    bytesOut, bytesIn, packetsOut: packets, packetsIn: packets, connections: 1, counted: true, format,
  };
}

describe('the bytes column', () => {
  it('says packets without bytes (Hubble logs no byte counts) were not reported, instead of 0 B', () => {
    expect(bytesColumn?.render(row('hubble', 0, 0))).toBe('—');
    expect(bytesColumn?.title?.(row('hubble', 0, 0))).toBe(BYTES_NOT_REPORTED);
  });
  it('shows a flow with neither bytes nor packets as 0 B', () => {
    expect(bytesColumn?.render(row('calico', 0, 0, 0))).toBe('0 B');
    expect(bytesColumn?.render(row('calico', 1024, 1024))).toBe('2.0 KiB');
  });
});

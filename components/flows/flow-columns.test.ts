import { describe, expect, it } from 'vitest';
import { BYTES_NOT_REPORTED, FLOW_COLUMNS } from './flow-columns';
import type { FlowRowDto } from '@/lib/api/flows';

const bytesColumn = FLOW_COLUMNS.find((column) => column.id === 'bytes');

function row(format: string, bytesOut: number, bytesIn: number): FlowRowDto {
  const endpoint = { kind: 'workload', name: 'a', namespace: 'ns', masked: false } as FlowRowDto['source'];
  return {
    key: '1:1', id: '1', clusterId: 1, cluster: 'c', startMs: 0, endMs: 0, source: endpoint, destination: endpoint, protocol: 'TCP', port: 80,
    verdict: 'allowed', reporter: 'observer', dropReason: null, policyKey: '', policyText: '', pendingVerdict: null,
    bytesOut, bytesIn, packetsOut: 1, packetsIn: 1, connections: 1, counted: true, format,
  };
}

describe('the bytes column', () => {
  it('says a Hubble flow has no byte counts instead of showing 0 B', () => {
    expect(bytesColumn?.render(row('hubble', 0, 0))).toBe('—');
    expect(bytesColumn?.title?.(row('hubble', 0, 0))).toBe(BYTES_NOT_REPORTED);
  });
  it('shows a zero-byte flow of a format that counts bytes as 0 B', () => {
    expect(bytesColumn?.render(row('calico', 0, 0))).toBe('0 B');
    expect(bytesColumn?.render(row('calico', 1024, 1024))).toBe('2.0 KiB');
  });
});

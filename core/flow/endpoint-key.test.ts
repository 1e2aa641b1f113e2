import { describe, expect, it } from 'vitest';
import { endpointIdFromKey, endpointKey } from './endpoint-key';

describe('endpointKey / endpointIdFromKey', () => {
  it('ignores labels and distinguishes pods', () => {
    const a = endpointKey({ kind: 'workload', namespace: 'chat', name: 'rag-api', pod: 'rag-api-1', labels: { app: 'x' } });
    const b = endpointKey({ kind: 'workload', namespace: 'chat', name: 'rag-api', pod: 'rag-api-1', labels: {} });
    const c = endpointKey({ kind: 'workload', namespace: 'chat', name: 'rag-api', pod: 'rag-api-2', labels: {} });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
  it('mints stable signed 64-bit ids without collisions on a realistic set', () => {
    expect(endpointIdFromKey('workload|chat|rag-api||||')).toBe(endpointIdFromKey('workload|chat|rag-api||||'));
    const ids = new Set<string>();
    for (let index = 0; index < 50_000; index += 1) {
      const id = endpointIdFromKey(`workload|ns-${index % 100}|svc-${index}|Deployment|svc-${index}-abc|10.0.${index >> 8}.${index & 255}||`);
      const value = BigInt(id);
      expect(value >= -(2n ** 63n) && value < 2n ** 63n).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(50_000);
  });
});

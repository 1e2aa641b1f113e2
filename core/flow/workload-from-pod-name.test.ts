import { describe, expect, it } from 'vitest';
import { workloadFromAggregate, workloadFromPodName } from './workload-from-pod-name';

describe('workloadFromPodName', () => {
  it.each([
    ['reviews-v1-545db77b95-s6jb8', 'reviews-v1', 'Deployment', false],
    ['kube-dns-b4f5c58c7-7qmtw', 'kube-dns', 'Deployment', false],
    ['ratings-v1-b6994bb9-jgqxb', 'ratings-v1', 'Deployment', false],
    ['web-0', 'web', 'StatefulSet', false],
    ['redis-cluster-12', 'redis-cluster', 'StatefulSet', false],
    ['node-local-dns-88zrp', 'node-local-dns', undefined, false],
    ['xwing', 'xwing', 'Pod', true],
    ['nginx-proxy', 'nginx-proxy', 'Pod', true],
  ])('%s → %s (%s)', (pod, name, workloadKind, bare) => {
    expect(workloadFromPodName(pod)).toEqual({ name, bare, ...(workloadKind ? { workloadKind } : {}) });
  });
});

describe('workloadFromAggregate', () => {
  it.each([
    ['checkoutservice-598d5b586d-*', 'checkoutservice', 'Deployment', false],
    ['node-local-dns-*', 'node-local-dns-*', undefined, false],
    ['rails-81531*', 'rails-81531*', undefined, false],
    ['multitool', 'multitool', 'Pod', true],
  ])('%s → %s', (aggregate, name, workloadKind, bare) => {
    expect(workloadFromAggregate(aggregate)).toEqual({ name, bare, ...(workloadKind ? { workloadKind } : {}) });
  });
});

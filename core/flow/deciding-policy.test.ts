import { describe, expect, it } from 'vitest';
import { decidingPolicy, isNoPolicyHit, isNoPolicyKey, parsePolicyHitKey, pendingVerdict, policyHitKey } from './deciding-policy';
import type { PolicyHit } from './types';

const pass: PolicyHit = { kind: 'GlobalNetworkPolicy', tier: 'security', name: 'security.tenant', action: 'pass', ruleIndex: 0, staged: false };
const deny: PolicyHit = { kind: 'CalicoNetworkPolicy', tier: 'app', namespace: 'shop', name: 'app.checkout', action: 'deny', ruleIndex: -1, staged: false };
const log: PolicyHit = { kind: 'GlobalNetworkPolicy', tier: 'audit', name: 'audit.log', action: 'log', ruleIndex: 3, staged: false };

describe('decidingPolicy', () => {
  it.each([
    { name: 'empty trace', trace: [], expected: undefined },
    { name: 'pass then deny', trace: [pass, deny], expected: deny },
    { name: 'deny then trailing log', trace: [deny, log], expected: deny },
    { name: 'only pass', trace: [pass], expected: undefined },
  ])('$name', ({ trace, expected }) => {
    expect(decidingPolicy(trace)).toEqual(expected);
  });
});

describe('policyHitKey', () => {
  it('round-trips a hit', () => {
    const key = policyHitKey(deny);
    expect(key).toBe('CalicoNetworkPolicy|app|shop|app.checkout|deny|-1');
    expect(parsePolicyHitKey(key)).toEqual(deny);
  });
  it('is empty for no hit and rejects malformed keys', () => {
    expect(policyHitKey(undefined)).toBe('');
    expect(parsePolicyHitKey('')).toBeUndefined();
    expect(parsePolicyHitKey('a|b|c|d|maybe|1')).toBeUndefined();
  });
});

describe('pendingVerdict', () => {
  it('reports what staged policies would do', () => {
    expect(pendingVerdict(undefined)).toBeUndefined();
    expect(pendingVerdict([{ ...deny, kind: 'StagedNetworkPolicy', staged: true }])).toBe('denied');
    expect(pendingVerdict([{ ...pass }, { ...deny, action: 'allow' }])).toBe('allowed');
  });
});

describe('isNoPolicyKey / isNoPolicyHit', () => {
  it.each([
    ['', true],
    ['Profile||llm|kns.llm|allow|0', true],
    ['not|a|key', true],
    ['NetworkPolicy||data|default-deny|deny|-1', false],
    ['GlobalNetworkPolicy|security||security.tenant|allow|2', false],
  ])('%j → %s', (key, expected) => {
    expect(isNoPolicyKey(key)).toBe(expected);
  });
  it('treats a Calico __PROFILE__ name as no policy', () => {
    expect(isNoPolicyHit({ kind: 'CalicoNetworkPolicy', name: '__PROFILE__.kns.llm', action: 'allow', ruleIndex: 0, staged: false })).toBe(true);
  });
});

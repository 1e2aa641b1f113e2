import { describe, expect, it } from 'vitest';
import { FieldError } from './line-result';
import { labelsFromWire, protocolFromWire, timeMs } from './wire-readers';

describe('timeMs', () => {
  it.each<[unknown, number]>([
    ['2021-06-16T16:52:13.136834446Z', Date.UTC(2021, 5, 16, 16, 52, 13, 136)],
    ['2021-06-16T16:52:13Z', Date.UTC(2021, 5, 16, 16, 52, 13)],
    ['2021-06-16T16:52:14.5Z', Date.UTC(2021, 5, 16, 16, 52, 14, 500)],
    ['2021-06-16T16:52:13.136834446Z', Date.UTC(2021, 5, 16, 16, 52, 13, 136)],
    ['2021-06-16T18:52:13+02:00', Date.UTC(2021, 5, 16, 16, 52, 13)],
    [1659621542, 1659621542000],
    ['1659621542', 1659621542000],
    [1659621542.25, 1659621542250],
    [1659621542123, 1659621542123],
  ])('%j → %d', (value, expected) => {
    expect(timeMs(value, 'time')).toBe(expected);
  });

  it.each([['yesterday'], [-1], [null], [{}]])('rejects %j', (value) => {
    expect(() => timeMs(value, 'time')).toThrow(FieldError);
  });
});

describe('protocolFromWire', () => {
  it.each<[unknown, string]>([['tcp', 'TCP'], ['UDP', 'UDP'], [6, 'TCP'], ['17', 'UDP'], [58, 'ICMPv6'], ['icmp6', 'ICMPv6'], [132, 'SCTP'], [47, 'other'], ['gre', 'other'], ['-', 'other']])('%j → %s', (value, expected) => {
    expect(protocolFromWire(value, 'proto')).toBe(expected);
  });
});

describe('labelsFromWire', () => {
  it.each<[unknown, Record<string, string>]>([
    [['app=web', 'flag'], { app: 'web', flag: '' }],
    [{ labels: ['a=b=c'] }, { a: 'b=c' }],
    [{ app: 'web' }, { app: 'web' }],
    ['app=web | tier=front', { app: 'web', tier: 'front' }],
    [null, {}],
    ['-', {}],
    [{ labels: null }, {}],
  ])('%j', (value, expected) => {
    expect(labelsFromWire(value, 'labels')).toEqual(expected);
  });
});

'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { NegatableField, SuggestField } from '@/lib/api/flows';
import { flowSuggestQueryOptions } from '@/lib/query/flows';
import { emptyFilterText, isNegated, setNegated, type FilterKey } from './flow-url-state';

interface TextFilterSpec {
  key: FilterKey & NegatableField;
  label: string;
  placeholder: string;
  suggest?: SuggestField;
}

const SOURCE_FILTERS: TextFilterSpec[] = [
  { key: 'srcNs', label: 'Source namespace', placeholder: 'chat', suggest: 'namespace' },
  { key: 'srcWorkload', label: 'Source workload', placeholder: 'chat/chat-ui', suggest: 'workload' },
  { key: 'srcIp', label: 'Source IP / CIDR', placeholder: '10.0.0.0/8', suggest: 'ip' },
];
const DESTINATION_FILTERS: TextFilterSpec[] = [
  { key: 'dstNs', label: 'Destination namespace', placeholder: 'payments', suggest: 'namespace' },
  { key: 'dstWorkload', label: 'Destination workload', placeholder: 'payments/payments-db', suggest: 'workload' },
  { key: 'dstIp', label: 'Destination IP / CIDR', placeholder: '203.0.113.66', suggest: 'ip' },
];
const OTHER_FILTERS: TextFilterSpec[] = [
  { key: 'ns', label: 'Namespace (either end)', placeholder: 'payments', suggest: 'namespace' },
  { key: 'port', label: 'Port', placeholder: '5432', suggest: 'port' },
  { key: 'policy', label: 'Policy', placeholder: 'data/default-deny', suggest: 'policy' },
  { key: 'dropReason', label: 'Drop reason', placeholder: 'POLICY_DENIED', suggest: 'dropReason' },
  { key: 'q', label: 'Text', placeholder: 'names, IPs, domains, policies' },
];

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/** A text filter with suggestions from the data (a datalist) and a "not" toggle. */
function TextFilter(props: { spec: TextFilterSpec; draft: Record<FilterKey, string>; onChange: (next: Record<FilterKey, string>) => void; cluster: string }) {
  const { spec, draft, onChange } = props;
  const id = useId();
  const [focused, setFocused] = useState(false);
  const value = draft[spec.key];
  // Suggest for the last comma-separated entry being typed.
  const prefix = useDebounced(value.split(',').at(-1)?.trim() ?? '', 200);
  const suggestions = useQuery({ ...flowSuggestQueryOptions(spec.suggest ?? 'namespace', prefix, props.cluster), enabled: focused && spec.suggest !== undefined });
  const negated = isNegated(draft, spec.key);
  const listId = `${id}-list`;
  const head = value.includes(',') ? value.slice(0, value.lastIndexOf(',') + 1) : '';
  return (
    <div className={`filter-field${negated ? ' negated' : ''}`}>
      <label htmlFor={id}>{spec.label}</label>
      <div className="filter-input-row">
        <button
          type="button"
          className="not-toggle"
          aria-pressed={negated}
          title={negated ? 'Excluding matches (click to include)' : 'Click to exclude matches instead'}
          onClick={() => onChange({ ...draft, not: setNegated(draft, spec.key, !negated) })}
        >
          {negated ? 'NOT' : 'is'}
        </button>
        <input
          id={id}
          name={spec.key}
          value={value}
          placeholder={spec.placeholder}
          maxLength={4096}
          list={spec.suggest ? listId : undefined}
          autoComplete="off"
          onFocus={() => setFocused(true)}
          onChange={(event) => onChange({ ...draft, [spec.key]: event.target.value })}
        />
      </div>
      {spec.suggest ? (
        <datalist id={listId}>
          {(suggestions.data?.suggestions ?? []).map((suggestion) => (
            <option key={suggestion.value} value={head + suggestion.value}>
              {suggestion.detail ?? ''}
            </option>
          ))}
        </datalist>
      ) : null}
    </div>
  );
}

export interface FlowFilterBarProps {
  filterText: Record<FilterKey, string>;
  clusters: string[];
  error: string | null;
  onApply: (filterText: Record<FilterKey, string>) => void;
}

/** Every filter of the explorer; applying writes them into the URL (Enter or "Apply"). */
export function FlowFilterBar(props: FlowFilterBarProps) {
  const [draft, setDraft] = useState(props.filterText);
  // The URL is the truth: back/forward, brushing and drill-downs replace the draft.
  useEffect(() => setDraft(props.filterText), [props.filterText]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onApply(draft);
  };
  const select = (key: FilterKey, label: string, options: [string, string][]) => (
    <div className="filter-field">
      <label htmlFor={`filter-${key}`}>{label}</label>
      <select id={`filter-${key}`} name={key} value={draft[key]} onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>{text}</option>
        ))}
      </select>
    </div>
  );
  const rangeValue = draft.range || '1h';
  return (
    <form className="panel flow-filter-bar" onSubmit={submit} aria-label="Flow filters" data-testid="flow-filter-bar">
      <div className="filter-row">
        {select('verdict', 'Verdict', [['', 'denied'], ['allowed', 'allowed'], ['all', 'all']])}
        <div className="filter-field">
          <label htmlFor="filter-range">Time range</label>
          <select id="filter-range" value={rangeValue} onChange={(event) => setDraft({ ...draft, range: event.target.value === '1h' ? '' : event.target.value, ...(event.target.value !== 'custom' ? { from: '', to: '' } : {}) })}>
            {['15m', '1h', '6h', '24h', '7d'].map((range) => (
              <option key={range} value={range}>last {range}</option>
            ))}
            {rangeValue === 'custom' ? <option value="custom">custom (from the chart)</option> : null}
          </select>
        </div>
        {select('cluster', 'Cluster', [['', 'all clusters'], ...props.clusters.map((name): [string, string] => [name, name])])}
        {select('protocol', 'Protocol', [['', 'any'], ['TCP', 'TCP'], ['UDP', 'UDP'], ['SCTP', 'SCTP'], ['ICMP', 'ICMP'], ['ICMPv6', 'ICMPv6']])}
        {select('reporter', 'Reporter', [['', 'any'], ['source', 'source'], ['destination', 'destination'], ['observer', 'observer']])}
        {OTHER_FILTERS.slice(0, 1).map((spec) => <TextFilter key={spec.key} spec={spec} draft={draft} onChange={setDraft} cluster={draft.cluster} />)}
      </div>
      <div className="filter-row">
        {SOURCE_FILTERS.map((spec) => <TextFilter key={spec.key} spec={spec} draft={draft} onChange={setDraft} cluster={draft.cluster} />)}
      </div>
      <div className="filter-row">
        {DESTINATION_FILTERS.map((spec) => <TextFilter key={spec.key} spec={spec} draft={draft} onChange={setDraft} cluster={draft.cluster} />)}
      </div>
      <div className="filter-row">
        {OTHER_FILTERS.slice(1).map((spec) => <TextFilter key={spec.key} spec={spec} draft={draft} onChange={setDraft} cluster={draft.cluster} />)}
      </div>
      <div className="filter-actions">
        <label className="small">
          <input type="checkbox" checked={draft.dupes === '1'} onChange={(event) => setDraft({ ...draft, dupes: event.target.checked ? '1' : '' })} /> include second reports of
          connections both ends reported
        </label>
        <span className="spacer" />
        <button type="button" className="button-quiet-dark" onClick={() => props.onApply({ ...emptyFilterText() })}>Reset</button>
        <button type="submit" className="button-primary">Apply filters</button>
      </div>
      {props.error ? <p className="field-error" role="alert">Some filters in the link are not valid and were ignored: {props.error}</p> : null}
    </form>
  );
}

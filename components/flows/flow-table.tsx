'use client';
import { useEffect, useRef, useState } from 'react';
import type { FlowRowDto, FlowSort } from '@/lib/api/flows';
import { DEFAULT_COLUMN_IDS, FLOW_COLUMNS } from './flow-columns';
import { useVirtualRows } from './use-virtual-rows';

const ROW_HEIGHT_PX = 32;
const COLUMNS_STORAGE_KEY = 'flowlens.flows.columns';

export interface FlowTableProps {
  rows: FlowRowDto[];
  sort: FlowSort;
  dir: 'asc' | 'desc';
  onSort: (sort: FlowSort, dir: 'asc' | 'desc') => void;
  selectedKey: string | null;
  onSelect: (row: FlowRowDto) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  state: 'loading' | 'ready' | 'error';
  emptyText: string;
}

/** The user's column choice, remembered in localStorage. */
function useColumnChoice(): [string[], (ids: string[]) => void] {
  const [ids, setIds] = useState<string[]>(DEFAULT_COLUMN_IDS);
  useEffect(() => {
    try {
      const stored = JSON.parse(window.localStorage.getItem(COLUMNS_STORAGE_KEY) ?? 'null') as unknown;
      if (Array.isArray(stored) && stored.every((id) => typeof id === 'string')) {
        const known = (stored as string[]).filter((id) => FLOW_COLUMNS.some((column) => column.id === id));
        if (known.length > 0) setIds(known);
      }
    } catch {
      // unreadable storage: keep the defaults
    }
  }, []);
  const update = (next: string[]) => {
    setIds(next);
    try {
      window.localStorage.setItem(COLUMNS_STORAGE_KEY, JSON.stringify(next));
    } catch {
      // storage full or disabled: the choice lasts this page only
    }
  };
  return [ids, update];
}

/** Virtualised flow table: only visible rows are in the DOM; more pages load as the end scrolls into view. */
export function FlowTable(props: FlowTableProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const [columnIds, setColumnIds] = useColumnChoice();
  const columns = FLOW_COLUMNS.filter((column) => columnIds.includes(column.id));
  const window = useVirtualRows(viewport, props.rows.length, ROW_HEIGHT_PX);
  const widthPx = columns.reduce((sum, column) => sum + column.widthPx, 0);
  const template = columns.map((column) => `${column.widthPx}px`).join(' ');
  const { hasMore, loadingMore, onLoadMore } = props;
  const nearEnd = window.end >= props.rows.length - 20;

  useEffect(() => {
    if (nearEnd && hasMore && !loadingMore) onLoadMore();
  }, [nearEnd, hasMore, loadingMore, onLoadMore]);

  const visible = props.rows.slice(window.start, window.end);
  return (
    <div className="flow-table-wrap">
      <div className="flow-table-tools">
        <details className="column-chooser">
          <summary>Columns</summary>
          <fieldset>
            <legend className="visually-hidden">Columns shown</legend>
            {FLOW_COLUMNS.map((column) => (
              <label key={column.id}>
                <input
                  type="checkbox"
                  checked={columnIds.includes(column.id)}
                  onChange={(event) =>
                    setColumnIds(event.target.checked ? FLOW_COLUMNS.filter((c) => c.id === column.id || columnIds.includes(c.id)).map((c) => c.id) : columnIds.filter((id) => id !== column.id))
                  }
                />{' '}
                {column.label}
              </label>
            ))}
          </fieldset>
        </details>
        <span className="muted small" data-testid="flow-rows-loaded">
          {props.rows.length.toLocaleString('en-US')} rows loaded{props.hasMore ? ' (scroll for more)' : ''}
        </span>
      </div>
      <div className="flow-table" role="table" aria-label="Flows" aria-rowcount={props.rows.length + 1} data-state={props.state} data-testid="flow-table">
        <div ref={viewport} className="flow-table-viewport">
          <div style={{ width: widthPx, minWidth: '100%' }}>
            <div className="flow-row flow-header" role="row" style={{ gridTemplateColumns: template }}>
              {columns.map((column) => {
                const active = column.sort !== undefined && column.sort === props.sort;
                return (
                  <div key={column.id} role="columnheader" className={column.numeric ? 'num' : undefined} aria-sort={active ? (props.dir === 'desc' ? 'descending' : 'ascending') : undefined}>
                    {column.sort ? (
                      <button type="button" className="sort-button" onClick={() => props.onSort(column.sort as FlowSort, active && props.dir === 'desc' ? 'asc' : 'desc')}>
                        {column.label} {active ? (props.dir === 'desc' ? '▼' : '▲') : ''}
                      </button>
                    ) : (
                      column.label
                    )}
                  </div>
                );
              })}
            </div>
            <div style={{ height: window.paddingTopPx }} aria-hidden="true" />
            {visible.map((row, index) => (
              <div
                key={row.key}
                role="row"
                aria-rowindex={window.start + index + 2}
                tabIndex={0}
                data-testid="flow-row"
                data-verdict={row.verdict}
                aria-selected={props.selectedKey === row.key}
                className={`flow-row${props.selectedKey === row.key ? ' selected' : ''} row-${row.verdict}`}
                style={{ gridTemplateColumns: template, height: ROW_HEIGHT_PX }}
                onClick={() => props.onSelect(row)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    props.onSelect(row);
                  }
                }}
              >
                {columns.map((column) => (
                  <div key={column.id} role="cell" className={column.numeric ? 'num' : undefined} title={column.title?.(row)}>
                    {column.render(row)}
                  </div>
                ))}
              </div>
            ))}
            <div style={{ height: window.paddingBottomPx }} aria-hidden="true" />
            {props.rows.length === 0 && props.state !== 'loading' ? <p className="muted flow-empty">{props.emptyText}</p> : null}
            {props.loadingMore ? <p className="muted small flow-empty">Loading more…</p> : null}
          </div>
        </div>
      </div>
    </div>
  );
}

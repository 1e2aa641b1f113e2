'use client';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { resolveFlowWindow, type FlowGroupBy, type FlowRowDto, type FlowSort } from '@/lib/api/flows';
import { flowExportUrl, flowGroupsQueryOptions, flowHistogramQueryOptions, flowLiveQueryOptions, flowPageQueryOptions } from '@/lib/query/flows';
import { useFlowLiveTail } from '@/lib/query/use-flow-live-tail';
import { formatCount } from '@/components/ui/format-count';
import { FlowDetailDrawer } from './flow-detail-drawer';
import { FlowFilterBar } from './flow-filter-bar';
import { FlowGroups } from './flow-groups';
import { FlowHistogram } from './flow-histogram';
import { FlowTable } from './flow-table';
import { apiSearchOf, readFlowsViewState, writeFlowsViewState, type FilterKey, type FlowsViewState } from './flow-url-state';
import './flows.css';

const MINUTE_MS = 60_000;
const ceilMinute = (ms: number) => Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
const EMPTY_RETRY_MS = 5_000;

/**
 * `/flows`: filter bar → histogram → table (or groups) → detail drawer. All state is in the URL; relative
 * ranges are pinned to absolute times when the filter changes (or on Refresh), so the table, histogram,
 * groups and export read exactly the same rows.
 */
export function FlowsExplorer(props: { clusters: string[]; /** The server's clock at render: the first render must match it. */ nowMs: number }) {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const view = useMemo(() => readFlowsViewState(searchParams), [searchParams]);
  const filterKey = JSON.stringify(view.filterText);
  // Pinned from the server's clock, so hydration renders the same window (a minute turning between the
  // server's render and the browser's was a hydration error); the effect then moves it to the browser's now.
  const [pinnedNowMs, setPinnedNowMs] = useState(() => ceilMinute(props.nowMs));
  useEffect(() => setPinnedNowMs(ceilMinute(Date.now())), [filterKey]);
  const window = resolveFlowWindow(view.filter, pinnedNowMs);
  const apiSearch = apiSearchOf(view.filter, view.filterText, window);
  const [paused, setPaused] = useState(false);

  const navigate = useCallback(
    (change: (state: FlowsViewState) => Omit<FlowsViewState, 'filter' | 'filterError'>, mode: 'push' | 'replace' = 'push') => {
      const next = writeFlowsViewState(change(view));
      const url = next ? `${pathname}?${next}` : pathname;
      if (mode === 'push') router.push(url, { scroll: false });
      else router.replace(url, { scroll: false });
    },
    [pathname, router, view],
  );

  const page = useInfiniteQuery({ ...flowPageQueryOptions(apiSearch, view.sort, view.dir), enabled: view.tab === 'table' && !view.live });
  const histogram = useQuery(flowHistogramQueryOptions(apiSearch));
  const groups = useQuery({ ...flowGroupsQueryOptions(apiSearch, view.groupBy), enabled: view.tab === 'groups' });
  const liveState = useFlowLiveTail(apiSearch, view.live, paused);
  const liveRows = useQuery({ ...flowLiveQueryOptions(apiSearch), enabled: view.live });

  const rows: FlowRowDto[] = useMemo(() => (view.live ? (liveRows.data ?? []) : (page.data?.pages.flatMap((one) => one.rows) ?? [])), [view.live, liveRows.data, page.data]);
  const onApply = (filterText: Record<FilterKey, string>) => navigate((state) => ({ ...state, filterText, flow: null }));
  const onBrush = useCallback(
    (fromMs: number, toMs: number) => navigate((state) => ({ ...state, filterText: { ...state.filterText, range: 'custom', from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() } })),
    [navigate],
  );
  const onSelect = (row: FlowRowDto) => navigate((state) => ({ ...state, flow: `${row.clusterId}:${row.id}:${row.startMs}` }), 'replace');
  const onSort = (sort: FlowSort, dir: 'asc' | 'desc') => navigate((state) => ({ ...state, sort, dir }), 'replace');
  const onDrill = (by: FlowGroupBy, value: string) =>
    navigate((state) => {
      const filterText = { ...state.filterText };
      if (by === 'source') filterText[value.includes('/') ? 'srcWorkload' : 'q'] = value;
      if (by === 'destination') filterText[value.includes('/') ? 'dstWorkload' : 'q'] = value;
      if (by === 'port') filterText.port = value;
      if (by === 'dropReason') filterText.dropReason = value;
      if (by === 'policy') {
        const [, , namespace = '', name = ''] = value.split('|');
        filterText.policy = namespace ? `${namespace}/${name}` : name;
      }
      return { ...state, filterText, tab: 'table' };
    });
  const { fetchNextPage } = page;
  const onLoadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const pageError = page.error ?? histogram.error;
  const total = histogram.data?.total;
  // Nothing yet in a relative range ("last 15 min" right after a deploy, or a collector still catching up):
  // look again every few seconds instead of showing an empty table until the user presses Refresh.
  const emptyRelative = !view.live && view.filter.range !== 'custom' && total === 0 && rows.length === 0;
  const { refetch: refetchPage } = page;
  const { refetch: refetchHistogram } = histogram;
  useEffect(() => {
    if (!emptyRelative) return;
    const timer = setInterval(() => {
      const nowMs = ceilMinute(Date.now());
      if (nowMs !== pinnedNowMs) setPinnedNowMs(nowMs);
      else {
        void refetchPage();
        void refetchHistogram();
      }
    }, EMPTY_RETRY_MS);
    return () => clearInterval(timer);
  }, [emptyRelative, pinnedNowMs, refetchPage, refetchHistogram]);
  const tableState = view.live ? 'ready' : page.isError ? 'error' : page.isPending || (page.isFetching && !page.isFetchingNextPage) ? 'loading' : 'ready';

  return (
    <div className="flows-explorer" data-state={tableState}>
      <FlowFilterBar filterText={view.filterText} clusters={props.clusters} error={view.filterError} onApply={onApply} />
      <div className="panel flows-results">
        <div className="flows-toolbar">
          <p className="flows-total" aria-live="polite">
            <strong data-testid="flow-total">{total === undefined ? '…' : formatCount(total)}</strong>{' '}
            {view.filter.verdict === 'all' ? '' : `${view.filter.verdict} `}flows
            <span className="muted small">
              {' '}· {new Date(window.fromMs).toISOString().slice(0, 16).replace('T', ' ')} – {new Date(window.toMs).toISOString().slice(0, 16).replace('T', ' ')} UTC
            </span>
          </p>
          <span className="spacer" />
          <button type="button" className="button-quiet-dark" onClick={() => setPinnedNowMs(ceilMinute(Date.now()))} title="Move a relative range up to now">Refresh</button>
          <a className="button-quiet-dark" href={flowExportUrl(apiSearch, 'csv', view.sort, view.dir)} download data-testid="export-csv">Export CSV</a>
          <a className="button-quiet-dark" href={flowExportUrl(apiSearch, 'ndjson', view.sort, view.dir)} download data-testid="export-ndjson">Export NDJSON</a>
          <button type="button" className={`button-quiet-dark${view.live ? ' active' : ''}`} aria-pressed={view.live} onClick={() => navigate((state) => ({ ...state, live: !state.live, tab: 'table' }), 'replace')} data-testid="live-toggle">
            {view.live ? 'Stop live tail' : 'Live tail'}
          </button>
          {view.live ? (
            <>
              <button type="button" className="button-quiet-dark" aria-pressed={paused} onClick={() => setPaused(!paused)}>{paused ? 'Resume' : 'Pause'}</button>
              <span className={`live-state live-${liveState}`} role="status" data-testid="live-state">{liveState}</span>
            </>
          ) : null}
        </div>
        {pageError ? <p className="error-box" role="alert">{pageError.message}</p> : null}
        <FlowHistogram histogram={histogram.data} loading={histogram.isFetching} onBrush={onBrush} />
        <div className="segmented" role="tablist" aria-label="View">
          <button type="button" role="tab" aria-selected={view.tab === 'table'} onClick={() => navigate((state) => ({ ...state, tab: 'table' }), 'replace')}>Flows</button>
          <button type="button" role="tab" aria-selected={view.tab === 'groups'} onClick={() => navigate((state) => ({ ...state, tab: 'groups', live: false }), 'replace')}>Grouped</button>
        </div>
        {view.tab === 'table' ? (
          <FlowTable
            rows={rows}
            sort={view.sort}
            dir={view.dir}
            onSort={onSort}
            selectedKey={view.flow ? view.flow.split(':').slice(0, 2).join(':') : null}
            onSelect={onSelect}
            hasMore={!view.live && !!page.hasNextPage}
            loadingMore={page.isFetchingNextPage}
            onLoadMore={onLoadMore}
            state={tableState}
            emptyText={view.live ? 'Waiting for new flows that match…' : 'No flows match these filters in this time range.'}
          />
        ) : (
          <FlowGroups groups={groups.data} loading={groups.isFetching} by={view.groupBy} onBy={(by) => navigate((state) => ({ ...state, groupBy: by }), 'replace')} onDrill={onDrill} />
        )}
      </div>
      {view.flow ? <FlowDetailDrawer key={view.flow} flowRef={view.flow} onClose={() => navigate((state) => ({ ...state, flow: null }), 'replace')} /> : null}
    </div>
  );
}

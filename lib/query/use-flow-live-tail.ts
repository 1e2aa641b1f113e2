'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { FlowLiveEventDto, FlowRowDto } from '../api/flows';
import { flowKeys } from './flows';

/** Rows kept in the live view: the newest first, older ones fall off. */
export const LIVE_MAX_ROWS = 2000;

export type LiveTailState = 'off' | 'connecting' | 'live' | 'paused' | 'error';

/**
 * The one owner of the live tail's EventSource (STYLE rule 11): new flows go into the query cache under
 * `flowKeys.live(search)`; components read them with `useQuery(flowLiveQueryOptions(search))`. Pausing
 * closes the stream; resuming reopens it after the last event's id (the server's floor: every flow at or
 * below it was sent), so nothing is missed, and a flow sent again is shown once.
 */
export function useFlowLiveTail(search: string, enabled: boolean, paused: boolean): LiveTailState {
  const queryClient = useQueryClient();
  const lastIdRef = useRef<string | null>(null);
  const [state, setState] = useState<LiveTailState>('off');

  useEffect(() => {
    lastIdRef.current = null;
    queryClient.setQueryData<FlowRowDto[]>(flowKeys.live(search), []);
  }, [queryClient, search]);

  useEffect(() => {
    if (!enabled) {
      setState('off');
      return;
    }
    if (paused) {
      setState('paused');
      return;
    }
    const params = new URLSearchParams(search);
    // The tail follows "now": the pinned window does not apply.
    params.delete('range');
    params.delete('from');
    params.delete('to');
    if (lastIdRef.current) params.set('after', lastIdRef.current);
    setState('connecting');
    const source = new EventSource(`/api/flows/live?${params}`);
    source.onopen = () => setState('live');
    source.addEventListener('flows', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as FlowLiveEventDto;
      if (event.lastEventId) lastIdRef.current = event.lastEventId;
      // A resumed tail may send again rows it had sent above its floor: keep one copy of each flow.
      queryClient.setQueryData<FlowRowDto[]>(flowKeys.live(search), (previous = []) => {
        const known = new Set(previous.map((row) => row.key));
        return [...data.rows.filter((row) => !known.has(row.key)), ...previous].slice(0, LIVE_MAX_ROWS);
      });
      setState('live');
    });
    source.addEventListener('failure', () => setState('error'));
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'error' : 'connecting');
    return () => source.close();
  }, [enabled, paused, queryClient, search]);

  return state;
}

'use client';
import { useEffect, useRef, useState } from 'react';
import type { GraphLayout, LayoutGraphInput, NodePositions } from '@/core/graph';
import type { LayoutRequest, LayoutResponse } from './layout.worker';

export const LAYOUT_SEED = 'flowlens';

export interface GraphLayoutState {
  layout: GraphLayout | null;
  /** The input the current `layout` was computed for (it lags `input` while a new layout runs). */
  status: 'layout' | 'ready' | 'error';
  error: string | null;
  elapsedMs: number | null;
}

/**
 * Lays out `input` in a Web Worker. New input terminates the running worker and starts another; unmount
 * terminates it too. Positions are kept by node id across layouts (previousPositions), so refreshes and
 * filters move only what changed.
 */
export function useGraphLayout(input: LayoutGraphInput | null, inputKey: string, aspectRatio = 2): GraphLayoutState {
  const [state, setState] = useState<GraphLayoutState>({ layout: null, status: 'layout', error: null, elapsedMs: null });
  const positions = useRef<Record<string, { x: number; y: number }>>({});
  const inputRef = useRef(input);
  inputRef.current = input;

  useEffect(() => {
    const current = inputRef.current;
    if (!current) return;
    setState((previous) => ({ ...previous, status: 'layout' }));
    const worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    const previousPositions: NodePositions = { ...positions.current };
    worker.onmessage = (event: MessageEvent<LayoutResponse>) => {
      const response = event.data;
      if (response.ok) {
        positions.current = { ...positions.current, ...response.layout.positions };
        setState({ layout: response.layout, status: 'ready', error: null, elapsedMs: response.elapsedMs });
      } else {
        setState((previous) => ({ ...previous, status: 'error', error: response.message }));
      }
      worker.terminate();
    };
    worker.onerror = (event) => {
      setState((previous) => ({ ...previous, status: 'error', error: event.message || 'the layout worker failed' }));
      worker.terminate();
    };
    const request: LayoutRequest = { graph: current, options: { seed: LAYOUT_SEED, previousPositions, aspectRatio } };
    worker.postMessage(request);
    return () => worker.terminate();
  }, [inputKey, aspectRatio]);

  return state;
}

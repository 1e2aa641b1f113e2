/// <reference lib="webworker" />
// Runs core's pure layout off the main thread (STYLE rule 12). One message in, one message out; the hook
// terminates the worker when the input changes or the view unmounts, so a stale layout never lands.
import { layoutGraph, type GraphLayout, type LayoutGraphInput, type LayoutGraphOptions } from '@/core/graph';

export interface LayoutRequest {
  graph: LayoutGraphInput;
  options: LayoutGraphOptions;
}

export type LayoutResponse = { ok: true; layout: GraphLayout; elapsedMs: number } | { ok: false; message: string };

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const startedMs = performance.now();
  try {
    const layout = layoutGraph(event.data.graph, event.data.options);
    const response: LayoutResponse = { ok: true, layout, elapsedMs: performance.now() - startedMs };
    self.postMessage(response);
  } catch (error) {
    const response: LayoutResponse = { ok: false, message: error instanceof Error ? error.message : String(error) };
    self.postMessage(response);
  }
};

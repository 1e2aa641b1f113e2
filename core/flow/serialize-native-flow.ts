import { NATIVE_FLOW_VERSION } from './parse-native';
import type { Flow } from './types';

/**
 * One native NDJSON line (no trailing newline) for a flow: `{"v":1,…}` with the canonical fields in
 * declaration order, so output is stable and diffs cleanly. {@link parseNative} reads it back to an equal flow.
 */
export function serializeNativeFlow(flow: Flow): string {
  return JSON.stringify({ v: NATIVE_FLOW_VERSION, ...flow });
}

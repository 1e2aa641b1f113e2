'use client';
import { useCallback, useEffect, useState, type RefObject } from 'react';

export interface VirtualRows {
  /** Index of the first rendered row (inclusive) and one past the last. */
  start: number;
  end: number;
  /** Space above and below the rendered rows, in px. */
  paddingTopPx: number;
  paddingBottomPx: number;
}

/**
 * A small fixed-row-height virtualiser: only the rows in the scroll viewport (plus `overscan` each side)
 * are rendered, so tens of thousands of loaded rows cost what a screenful does.
 */
export function useVirtualRows(viewport: RefObject<HTMLElement | null>, rowCount: number, rowHeightPx: number, overscan = 8): VirtualRows {
  const [scroll, setScroll] = useState({ topPx: 0, heightPx: 600 });
  const measure = useCallback(() => {
    const element = viewport.current;
    if (element) setScroll({ topPx: element.scrollTop, heightPx: element.clientHeight || 600 });
  }, [viewport]);
  useEffect(() => {
    const element = viewport.current;
    if (!element) return;
    measure();
    element.addEventListener('scroll', measure, { passive: true });
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => {
      element.removeEventListener('scroll', measure);
      observer.disconnect();
    };
  }, [measure, viewport]);
  const start = Math.max(0, Math.floor(scroll.topPx / rowHeightPx) - overscan);
  const end = Math.min(rowCount, Math.ceil((scroll.topPx + scroll.heightPx) / rowHeightPx) + overscan);
  return { start, end, paddingTopPx: start * rowHeightPx, paddingBottomPx: Math.max(0, (rowCount - end) * rowHeightPx) };
}

/**
 * A windowed list: renders only the rows in view (plus `overscan`), so 100,000 rows scroll smoothly.
 * Rows have a fixed height. `renderRow(index)` is called for visible rows only — keep the data in an array
 * (or fetch pages lazily) and render from the index.
 */
import { useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';

export interface VirtualListProps {
  itemCount: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  /** Height of the scroll area (CSS); default: fill the parent (give the parent a height). */
  height?: number | string;
  overscan?: number;
  /** Stable key per row (default: index). */
  rowKey?: (index: number) => string | number;
  /** Called with the visible range, e.g. to fetch the next page when near the end. */
  onRangeChange?: (first: number, last: number) => void;
  className?: string;
  'aria-label'?: string;
}

export function VirtualList({ itemCount, rowHeight, renderRow, height = '100%', overscan = 8, rowKey, onRangeChange, className, ...aria }: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewport(el.clientHeight));
    ro.observe(el);
    setViewport(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(itemCount - 1, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);

  useEffect(() => { if (itemCount > 0) onRangeChange?.(first, last); }, [first, last, itemCount, onRangeChange]);

  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    const style: CSSProperties = { position: 'absolute', top: i * rowHeight, left: 0, right: 0, height: rowHeight };
    rows.push(<div key={rowKey ? rowKey(i) : i} className="vlist-row" role="listitem" aria-setsize={itemCount} aria-posinset={i + 1} style={style}>{renderRow(i)}</div>);
  }

  return (
    <div
      ref={ref}
      className={`vlist${className ? ` ${className}` : ''}`}
      style={{ height, overflowY: 'auto', position: 'relative' }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      role="list"
      tabIndex={0}
      {...aria}
    >
      <div style={{ height: itemCount * rowHeight, position: 'relative' }}>{rows}</div>
    </div>
  );
}

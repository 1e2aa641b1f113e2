const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const full = new Intl.NumberFormat('en-US');

/** 1234567 → "1.2M" (compact) or "1,234,567". Locale pinned so server and client render the same text. */
export function formatCount(value: number, options: { compact?: boolean } = {}): string {
  return options.compact && Math.abs(value) >= 10_000 ? compact.format(value) : full.format(Math.round(value));
}

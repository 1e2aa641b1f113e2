'use client';

/** Screen-only links above the printable report (hidden when printing). */
export function ReportToolbar(props: { search: string }) {
  const suffix = props.search ? `?${props.search}` : '';
  return (
    <nav className="report-toolbar small" aria-label="Report">
      <a href="/">← Overview</a>
      <button type="button" className="link-button" onClick={() => window.print()}>
        Print
      </button>
      <a href={`/api/report/pdf${suffix}`}>Download PDF</a>
      <a href={`/api/report/csv${suffix}`}>Download CSV</a>
    </nav>
  );
}

/** The flowlens mark: two nodes and a flow between them. Decorative (the name is always beside it). */
export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="5" cy="12" r="3.2" fill="#6ea8ff" />
      <circle cx="19" cy="6" r="3.2" fill="#6ea8ff" />
      <circle cx="19" cy="18" r="3.2" fill="#ff6b6e" />
      <path d="M8 11 L16 7 M8 13 L16 17" stroke="#c9d2e0" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}

/**
 * "12 s ago", "4 min ago", "3 h ago", "2 d ago", measured from `nowMs` (the server's clock when the
 * data was read, so server render, hydration and every client agree).
 */
export function formatRelativeTime(thenMs: number, nowMs: number): string {
  const ageSec = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (ageSec < 60) return `${ageSec} s ago`;
  const ageMin = Math.floor(ageSec / 60);
  if (ageMin < 60) return `${ageMin} min ago`;
  const ageHour = Math.floor(ageMin / 60);
  if (ageHour < 48) return `${ageHour} h ago`;
  return `${Math.floor(ageHour / 24)} d ago`;
}

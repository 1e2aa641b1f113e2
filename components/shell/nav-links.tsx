'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

export const NAV_ITEMS = [
  { href: '/', label: 'Overview' },
  { href: '/graph', label: 'Graph' },
  { href: '/flows', label: 'Flows' },
  { href: '/genai', label: 'GenAI' },
  { href: '/policies', label: 'Policies' },
  { href: '/settings', label: 'Settings' },
] as const;

/** Main navigation; the current section carries aria-current="page". */
export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav className="app-nav" aria-label="Main">
      <ul>
        {NAV_ITEMS.map((item) => {
          const current = item.href === '/' ? pathname === '/' : pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link href={item.href} aria-current={current ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

import type { ReactNode } from 'react';
import { Logo } from '../pages/login-page.js';
import { useLocation } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';
import { Link } from './link.js';

const NAV = [
  { href: '/interactions', label: 'Interactions', match: (p: string) => p === '/' || p.startsWith('/interactions') },
  { href: '/sessions', label: 'Sessions', match: (p: string) => p.startsWith('/sessions') },
  { href: '/actions', label: 'Actions', match: (p: string) => p.startsWith('/actions') },
  { href: '/analytics', label: 'Analytics', match: (p: string) => p.startsWith('/analytics') },
  { href: '/integrity', label: 'Integrity', match: (p: string) => p.startsWith('/integrity') },
];

/** The frame of every page: brand, navigation, theme toggle and sign-out. */
export function AppShell({ children, theme, onToggleTheme }: { children: ReactNode; theme: 'light' | 'dark'; onToggleTheme: () => void }) {
  const { path } = useLocation();
  const { signOut } = useSession();
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/interactions" className="brand">
          <Logo /> auditrail
        </Link>
        <nav className="nav" aria-label="Main">
          {NAV.map((n) => (
            <Link key={n.href} href={n.href} className={n.match(path) ? 'nav-link nav-on' : 'nav-link'} aria-current={n.match(path) ? 'page' : undefined}>
              {n.label}
            </Link>
          ))}
        </nav>
        <div className="topbar-end">
          <button type="button" className="icon-button" onClick={onToggleTheme} title={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`} data-testid="theme-toggle">
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <button type="button" className="button button-small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}

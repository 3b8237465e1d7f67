import { lazy, Suspense } from 'react';
import { Loading } from './components/loading.js';
import { ActionsPage } from './pages/actions-page.js';
import { IntegrityPage } from './pages/integrity-page.js';
import { InteractionPage } from './pages/interaction-page.js';
import { InteractionsPage } from './pages/interactions-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { SessionPage } from './pages/session-page.js';
import { SessionsPage } from './pages/sessions-page.js';
import { matchPath, useLocation } from './lib/router.js';

// The charts library is most of the bundle: load it only when Analytics is opened.
const AnalyticsPage = lazy(() => import('./pages/analytics-page.js').then((m) => ({ default: m.AnalyticsPage })));

/** Client-side routes; the server answers index.html for each of them. */
export function Routes() {
  const { path } = useLocation();
  if (path === '/' || path === '/interactions') return <InteractionsPage />;
  const interaction = matchPath('/interactions/:id', path);
  if (interaction) return <InteractionPage key={interaction.id} id={interaction.id!} />;
  if (path === '/sessions') return <SessionsPage />;
  const session = matchPath('/sessions/:id', path);
  if (session) return <SessionPage key={session.id} id={session.id!} />;
  if (path === '/actions') return <ActionsPage />;
  if (path === '/analytics') {
    return (
      <Suspense fallback={<Loading />}>
        <AnalyticsPage />
      </Suspense>
    );
  }
  if (path === '/integrity') return <IntegrityPage />;
  return <NotFoundPage />;
}

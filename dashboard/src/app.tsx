import { useCallback, useEffect, useMemo, useState } from 'react';
import { createApiClient } from './api/client.js';
import { ThemeContext } from './charts/chart-theme.js';
import { AppShell } from './components/app-shell.js';
import { clearKey, loadKey, saveKey, takeKeyFromHash } from './lib/key-store.js';
import { SessionContext, type DashboardSession } from './lib/session-context.js';
import { useTheme } from './lib/theme.js';
import { LoginPage } from './pages/login-page.js';
import { Routes } from './routes.js';

export function App() {
  const { theme, toggle } = useTheme();
  const [key, setKey] = useState<string | null>(loadKey);
  const signOut = useCallback(() => {
    clearKey();
    setKey(null);
  }, []);
  // a `#key=` link opened in a tab that already shows the dashboard changes only the hash
  useEffect(() => {
    const onHash = () => {
      const k = takeKeyFromHash();
      if (k) setKey(k);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const session = useMemo<DashboardSession | null>(() => (key ? { client: createApiClient({ apiKey: key }), signOut } : null), [key, signOut]);

  return (
    <ThemeContext.Provider value={theme}>
      {session ? (
        // keyed by the API key: another key means other data, so every page starts afresh
        <SessionContext.Provider key={key} value={session}>
          <AppShell theme={theme} onToggleTheme={toggle}>
            <Routes />
          </AppShell>
        </SessionContext.Provider>
      ) : (
        <LoginPage
          onSignIn={(k) => {
            saveKey(k);
            setKey(k);
          }}
        />
      )}
    </ThemeContext.Provider>
  );
}

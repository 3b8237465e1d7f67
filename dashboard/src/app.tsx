import { useCallback, useMemo, useState } from 'react';
import { createApiClient } from './api/client.js';
import { ThemeContext } from './charts/chart-theme.js';
import { AppShell } from './components/app-shell.js';
import { clearKey, loadKey, saveKey } from './lib/key-store.js';
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
  const session = useMemo<DashboardSession | null>(() => (key ? { client: createApiClient({ apiKey: key }), signOut } : null), [key, signOut]);

  return (
    <ThemeContext.Provider value={theme}>
      {session ? (
        <SessionContext.Provider value={session}>
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

const STORAGE_KEY = 'auditrail.apiKey';

/**
 * The API key is entered once and kept in localStorage. A link of the form `/#key=<key>` (which
 * `auditrail serve` can print) stores the key and removes it from the address bar and history.
 */
export function takeKeyFromHash(): string | null {
  const m = /(?:^#|&)key=([^&]+)/.exec(window.location.hash);
  if (!m?.[1]) return null;
  const key = decodeURIComponent(m[1]);
  saveKey(key);
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return key;
}

export function loadKey(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function saveKey(key: string): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, key.trim());
  } catch {
    // private mode without storage: the key lives for this page only
  }
}

export function clearKey(): void {
  try {
    window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}

/**
 * A small history router: the console's pages are few and fixed (the server answers index.html for exactly
 * these paths, api/console.ts), so a table of patterns is all it needs.
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export type Page =
  | { name: 'landing' }
  | { name: 'sign-in'; next?: string }
  | { name: 'auth-callback' }
  | { name: 'inbox' }
  | { name: 'transfers' }
  | { name: 'transfer'; id: string }
  | { name: 'evidence'; id: string }
  | { name: 'codec' }
  | { name: 'new-transfer' }
  | { name: 'edit-transfer'; id: string }
  | { name: 'notifications' }
  | { name: 'document'; id: string; filename?: string }
  | { name: 'not-found' };

export function match(pathname: string, search = ''): Page {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'landing' };
  if (path === '/inbox') return { name: 'inbox' };
  if (path === '/transfers') return { name: 'transfers' };
  if (path === '/codec') return { name: 'codec' };
  if (path === '/transfers/new') return { name: 'new-transfer' };
  if (path === '/notifications') return { name: 'notifications' };
  const edit = /^\/transfers\/([0-9a-f-]{36})\/edit$/.exec(path);
  if (edit?.[1]) return { name: 'edit-transfer', id: edit[1] };
  if (path === '/sign-in') {
    const next = safeNext(new URLSearchParams(search).get('next'));
    return next ? { name: 'sign-in', next } : { name: 'sign-in' };
  }
  if (path === '/auth/callback') return { name: 'auth-callback' };
  const t = /^\/transfers\/([0-9a-f-]{36})$/.exec(path);
  if (t?.[1]) return { name: 'transfer', id: t[1] };
  const e = /^\/transfers\/([0-9a-f-]{36})\/evidence$/.exec(path);
  if (e?.[1]) return { name: 'evidence', id: e[1] };
  const d = /^\/documents\/sha256(?::|%3[Aa])([0-9a-f]{64})$/.exec(path);
  if (d?.[1]) {
    const filename = new URLSearchParams(search).get('name')?.trim();
    return { name: 'document', id: `sha256:${d[1]}`, ...(filename ? { filename } : {}) };
  }
  return { name: 'not-found' };
}

/**
 * Only a path (and query) of this app: no other origin, no protocol-relative or backslash trick, not the
 * sign-in pages themselves. Any console path passes, so every deep link survives sign-in.
 */
export function safeNext(next: string | null | undefined): string | undefined {
  if (!next || !next.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next)) return undefined;
  let url: URL;
  try {
    url = new URL(next, location.origin);
  } catch {
    return undefined;
  }
  if (url.origin !== location.origin) return undefined;
  if (url.pathname.startsWith('/sign-in') || url.pathname.startsWith('/auth/')) return undefined;
  return url.pathname + url.search;
}

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

const snapshot = () => location.pathname + location.search;

/** The current path and query. */
export function useLocation(): string {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, snapshot);
}

/** The sign-in page that brings the user back here (any console path and query) afterwards. */
export function signInPath(back: string = snapshot()): string {
  // already on the sign-in page: stay, with the destination it has (its next is checked when used)
  if (back.startsWith('/sign-in?')) return back;
  const next = back === '/' ? undefined : safeNext(back);
  return next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
}

/** The console's page for a document: fetched with the session's token, offered under this file name. */
export const documentPath = (id: string, filename?: string): string =>
  `/documents/${id}${filename ? `?name=${encodeURIComponent(filename)}` : ''}`;

export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={onClick} {...rest} />;
}

/**
 * The signed-in session: the bearer token lives in sessionStorage (this tab only, gone with it) and never in a
 * URL. Its claims are read here only to show who is signed in and when the token expires; the API verifies it.
 */
import { useSyncExternalStore } from 'react';

const TOKEN_KEY = 'xborder.token';
const REASON_KEY = 'xborder.signInReason';

export type Role = 'applicant' | 'reviewer' | 'recipient' | 'admin';

export interface Session {
  token: string;
  sub: string;
  role: Role;
  org?: string;
  recipient?: string;
  /** seconds since the epoch */
  exp: number;
}

/** Why the user is on the sign-in page (shown there once). */
export type SignInReason = 'expired' | 'refused' | 'signed-out';

/** The claims of a JWT, or undefined when it is not one. */
export function decodeToken(token: string): Session | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as Partial<Session>;
    if (typeof claims.sub !== 'string' || typeof claims.role !== 'string' || typeof claims.exp !== 'number')
      return undefined;
    return {
      token,
      sub: claims.sub,
      role: claims.role,
      exp: claims.exp,
      ...(claims.org ? { org: claims.org } : {}),
      ...(claims.recipient ? { recipient: claims.recipient } : {}),
    };
  } catch {
    return undefined;
  }
}

export const isExpired = (s: Session, nowMs = Date.now()): boolean => s.exp * 1000 <= nowMs;

const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());
let cached: { token: string | null; session: Session | undefined } = { token: null, session: undefined };

export function currentSession(): Session | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token !== cached.token) cached = { token, session: token ? decodeToken(token) : undefined };
  return cached.session;
}

export function signIn(token: string): Session {
  const session = decodeToken(token);
  if (!session) throw new Error('not a token');
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.removeItem(REASON_KEY);
  emit();
  return session;
}

export function signOut(reason: SignInReason): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.setItem(REASON_KEY, reason);
  emit();
}

/** The reason the last session ended, read once. */
export function takeSignInReason(): SignInReason | undefined {
  const r = sessionStorage.getItem(REASON_KEY) as SignInReason | null;
  sessionStorage.removeItem(REASON_KEY);
  return r ?? undefined;
}

export function useSession(): Session | undefined {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, currentSession);
}

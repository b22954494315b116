/**
 * Sign in with your organisation (OpenID Connect, when the server names a provider), with an access token
 * (pasted; kept in sessionStorage), or in dev mode "as" any role through POST /v1/dev/token. Which of these the
 * server offers it says in GET /v1/console/config. Afterwards the user lands where they were going.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ProblemError, unwrap, type Problem } from '../api/client';
import { ProblemProvider, ProblemSummary, SelectField, TextField } from '../components/form';
import { beginSignIn, OidcFailure, type OidcSettings } from '../oidc';
import { navigate, safeNext } from '../router';
import { decodeToken, isExpired, signIn, takeSignInReason, type Role, type Session } from '../session';

/** Where a newly signed-in user goes: where they were going, else their role's home page. */
export const afterSignIn = (s: Session, next: string | undefined): string =>
  safeNext(next) ?? (s.role === 'applicant' ? '/transfers' : '/inbox');

/** Whether the API accepts this token: it asks something every role may read. */
export async function apiAccepts(token: string): Promise<boolean> {
  const res = await fetch('/v1/notifications', { headers: { Authorization: `Bearer ${token}` } }).catch(
    () => undefined,
  );
  return !!res?.ok;
}

/** GET /v1/console/config: which ways to sign in this server offers. */
export function useConsoleConfig() {
  return useQuery({
    queryKey: ['console-config'],
    queryFn: () => unwrap(api.GET('/v1/console/config')),
    staleTime: Infinity,
  });
}

export function SignIn({ next }: { next?: string }) {
  const { t } = useTranslation();
  const [reason] = useState(takeSignInReason);
  const queries = useQueryClient();
  const config = useConsoleConfig();
  const done = (s: Session) => {
    queries.clear();
    navigate(afterSignIn(s, next), { replace: true });
  };
  return (
    <>
      <h1>{t('signIn.title')}</h1>
      {reason && reason !== 'signed-out' && (
        <p className="problem" role="alert">
          {t(`signIn.reason.${reason}`)}
        </p>
      )}
      {config.data?.oidc && <OrganisationSignIn settings={config.data.oidc} next={next} />}
      <TokenForm onSignedIn={done} />
      {config.data?.devSignIn && <DevForm onSignedIn={done} />}
    </>
  );
}

/** The reason an OpenID sign-in failed, in words, with the provider's own error when it gave one. */
export function OidcProblem({ failure }: { failure: OidcFailure }) {
  const { t } = useTranslation();
  const said = failure.providerError;
  return (
    <div className="problem" role="alert">
      <p>{t(`oidc.error.${failure.kind}`)}</p>
      {said && (
        <p>
          {said.description
            ? t('oidc.providerSaid', { error: said.error, description: said.description })
            : t('oidc.providerCode', { error: said.error })}
        </p>
      )}
    </div>
  );
}

function OrganisationSignIn({ settings, next }: { settings: OidcSettings; next: string | undefined }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<OidcFailure>();
  const [busy, setBusy] = useState(false);
  const onClick = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await beginSignIn(settings, next); // the browser leaves for the provider
    } catch (err) {
      setFailure(err instanceof OidcFailure ? err : new OidcFailure('unreachable'));
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="org-title" className="card">
      <h2 id="org-title">{t('signIn.orgTitle')}</h2>
      <p className="hint">{t('signIn.orgHint', { issuer: new URL(settings.issuer).host })}</p>
      {failure && <OidcProblem failure={failure} />}
      <button type="button" onClick={() => void onClick()} disabled={busy}>
        {t('signIn.orgSubmit')}
      </button>
    </section>
  );
}

function TokenForm({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = token.trim();
    const claims = decodeToken(trimmed);
    const refuse = (detail: string) =>
      setProblem({
        type: 'urn:xborder:problem:unauthenticated',
        title: '',
        status: 401,
        detail,
        instance: '',
        errors: [{ pointer: '/token', detail }],
      });
    if (!claims) return refuse(t('signIn.notAToken'));
    if (isExpired(claims)) return refuse(t('signIn.reason.expired'));
    setBusy(true);
    // the API decides whether the token is good
    const accepted = await apiAccepts(trimmed);
    setBusy(false);
    if (!accepted) return refuse(t('signIn.reason.refused'));
    onSignedIn(signIn(trimmed));
  };
  return (
    <form onSubmit={(e) => void onSubmit(e)} aria-labelledby="token-title" className="card">
      <h2 id="token-title">{t('signIn.tokenTitle')}</h2>
      <ProblemProvider problem={problem}>
        <TextField
          label={t('signIn.token')}
          type="password"
          pointer="/token"
          value={token}
          onChange={setToken}
          required
          hint={t('signIn.tokenHint')}
        />
      </ProblemProvider>
      <button type="submit" disabled={busy}>
        {t('signIn.submit')}
      </button>
    </form>
  );
}

const roleOptions: Role[] = ['applicant', 'reviewer', 'recipient', 'admin'];

function DevForm({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const { t } = useTranslation();
  const [role, setRole] = useState<Role>('applicant');
  const [sub, setSub] = useState('');
  const [org, setOrg] = useState('');
  const [recipient, setRecipient] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    const body =
      role === 'recipient'
        ? { role, sub, recipient }
        : role === 'admin'
          ? { role, sub, ...(org ? { org } : {}) }
          : { role, sub, org };
    try {
      const { token } = await unwrap(api.POST('/v1/dev/token', { body }));
      onSignedIn(signIn(token));
    } catch (err) {
      if (err instanceof ProblemError) setProblem(err.problem);
      else throw err;
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void onSubmit(e)} aria-labelledby="dev-title" className="card">
      <h2 id="dev-title">{t('signIn.devTitle')}</h2>
      <p className="hint">{t('signIn.devHint')}</p>
      <ProblemProvider problem={problem}>
        <ProblemSummary problem={problem} fields={['/role', '/sub', '/org', '/recipient']} />
        <SelectField
          label={t('signIn.role')}
          pointer="/role"
          value={role}
          onChange={setRole}
          options={roleOptions.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <TextField label={t('signIn.user')} pointer="/sub" value={sub} onChange={setSub} required />
        {role === 'recipient' ? (
          <TextField
            label={t('signIn.recipient')}
            pointer="/recipient"
            value={recipient}
            onChange={setRecipient}
            required
          />
        ) : (
          <TextField
            label={t('signIn.org')}
            pointer="/org"
            value={org}
            onChange={setOrg}
            required={role !== 'admin'}
          />
        )}
      </ProblemProvider>
      <button type="submit" disabled={busy}>
        {t('signIn.devSubmit')}
      </button>
    </form>
  );
}

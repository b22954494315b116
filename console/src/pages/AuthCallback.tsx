/**
 * /auth/callback, the console's OpenID redirect URI: the provider sends the browser back here with a code (or
 * an error). The code and state leave the address bar at once; the code becomes the session's access token,
 * and the user lands where they were going before signing in. A failure is shown in words.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { completeSignIn, OidcFailure } from '../oidc';
import { Link, navigate, signInPath } from '../router';
import { decodeToken, signIn } from '../session';
import { afterSignIn, apiAccepts, OidcProblem } from './SignIn';

export function AuthCallback() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [failed, setFailed] = useState<{ failure: OidcFailure; next: string | undefined }>();
  useEffect(() => {
    let live = true;
    let next: string | undefined;
    completeSignIn()
      .then(async (done) => {
        next = done.next;
        if (!decodeToken(done.token)) throw new OidcFailure('claims');
        if (!(await apiAccepts(done.token))) throw new OidcFailure('api');
        if (!live) return;
        const session = signIn(done.token);
        queries.clear();
        navigate(afterSignIn(session, done.next), { replace: true });
      })
      .catch((err: unknown) => {
        if (!live) return;
        const failure = err instanceof OidcFailure ? err : new OidcFailure('unreachable');
        setFailed({ failure, next: failure.next ?? next });
      });
    return () => {
      live = false;
    };
  }, [queries]);

  if (!failed) return <p role="status">{t('oidc.title')}</p>;
  return (
    <>
      <h1>{t('oidc.failedTitle')}</h1>
      <OidcProblem failure={failed.failure} />
      <p>
        <Link to={failed.next ? signInPath(failed.next) : '/sign-in'}>{t('oidc.again')}</Link>
      </p>
    </>
  );
}

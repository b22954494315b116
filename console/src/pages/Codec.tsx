/**
 * Decoding payloads in the Temporal Web UI: workflow payloads are encrypted, and the Web UI shows them through
 * this server's codec endpoint (/codec), for reviewers and administrators only. "Start the codec session" posts
 * the signed-in token to /codec/session, which keeps it in an HttpOnly cookie scoped to /codec (8 hours); then
 * the Web UI's codec settings point at /codec with cross-origin credentials.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session';
import { temporalUi } from './Landing';

export function CodecPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [state, setState] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);
  const endpoint = `${location.origin}/codec`;
  const allowed = session?.role === 'reviewer' || session?.role === 'admin';
  const start = async () => {
    if (!session) return;
    setBusy(true);
    setState(undefined);
    try {
      const res = await fetch('/codec/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: session.token }),
        credentials: 'same-origin',
      });
      if (res.ok) setState({ ok: true, text: t('codec.started', { sub: session.sub }) });
      else {
        const problem = (await res.json().catch(() => undefined)) as { detail?: string } | undefined;
        setState({ ok: false, text: problem?.detail ?? `HTTP ${res.status}` });
      }
    } catch {
      setState({ ok: false, text: t('codec.unreachable') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>{t('codec.title')}</h1>
      <p>{t('codec.intro')}</p>
      {!allowed ? (
        <p className="problem" role="note">
          {t('codec.notForRole')}
        </p>
      ) : (
        <>
          <section aria-labelledby="codec-start" className="card">
            <h2 id="codec-start">{t('codec.startTitle')}</h2>
            <p>{t('codec.startText')}</p>
            <button type="button" onClick={() => void start()} disabled={busy}>
              {t('codec.start')}
            </button>
            {state && (
              <p role={state.ok ? 'status' : 'alert'} className={state.ok ? 'chain-ok' : 'problem'}>
                {state.text}
              </p>
            )}
          </section>
          <section aria-labelledby="codec-steps">
            <h2 id="codec-steps">{t('codec.stepsTitle')}</h2>
            <ol className="steps">
              <li>{t('codec.step1')}</li>
              <li>
                {t('codec.step2')}{' '}
                <a href={temporalUi()} target="_blank" rel="noreferrer">
                  {temporalUi()}
                </a>
              </li>
              <li>
                {t('codec.step3')} <code data-testid="codec-endpoint">{endpoint}</code>
              </li>
              <li>{t('codec.step4')}</li>
              <li>{t('codec.step5')}</li>
            </ol>
            <p className="hint">{t('codec.npmStart')}</p>
            <h3>{t('codec.cliTitle')}</h3>
            <pre>
              <code>{`temporal workflow show --workflow-id <id> \\\n  --codec-endpoint ${endpoint} \\\n  --codec-auth "Bearer $TOKEN"`}</code>
            </pre>
          </section>
        </>
      )}
    </>
  );
}

/** The shell: header (navigation, language, who is signed in), the page for the current path, sign-in guard. */
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { languages, setLanguage, type Language } from './i18n';
import { Link, match, navigate, signInPath, useLocation } from './router';
import { isExpired, signOut, useSession } from './session';
import { Landing } from './pages/Landing';
import { SignIn } from './pages/SignIn';
import { Inbox } from './pages/Inbox';
import { Transfers } from './pages/Transfers';
import { TransferPage } from './pages/Transfer';
import { EvidencePage } from './pages/Evidence';
import { CodecPage } from './pages/Codec';
import { RecipientTransfers } from './pages/RecipientTransfers';
import { NewTransfer } from './pages/NewTransfer';
import { Notifications, NotificationsLink } from './pages/Notifications';
import { AuthCallback } from './pages/AuthCallback';
import { DocumentPage } from './pages/Document';

export function App() {
  const location = useLocation();
  const session = useSession();
  const [pathname, search] = splitLocation(location);
  const page = match(pathname, search);
  // every page but these needs a session (so a deep link to any of them survives sign-in)
  const needsSession = !['landing', 'sign-in', 'auth-callback', 'not-found'].includes(page.name);

  // a page that needs a session sends the user to sign in, and back here afterwards
  useEffect(() => {
    if (needsSession && !session) navigate(signInPath(location), { replace: true });
  }, [needsSession, session, location]);

  // an expiring token ends the session when it expires, with the reason
  useEffect(() => {
    if (!session) return undefined;
    const end = () => {
      signOut('expired');
      navigate(signInPath(), { replace: true });
    };
    if (isExpired(session)) {
      end();
      return undefined;
    }
    const timer = setTimeout(end, Math.min(session.exp * 1000 - Date.now(), 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [session]);

  let content: ReactNode;
  if (needsSession && !session) content = null;
  else if (page.name === 'landing') content = <Landing />;
  else if (page.name === 'sign-in') content = <SignIn next={page.next} />;
  else if (page.name === 'inbox') content = <Inbox />;
  else if (page.name === 'transfers')
    content = session?.role === 'recipient' ? <RecipientTransfers /> : <Transfers />;
  else if (page.name === 'transfer') content = <TransferPage id={page.id} />;
  else if (page.name === 'evidence') content = <EvidencePage id={page.id} />;
  else if (page.name === 'codec') content = <CodecPage />;
  // one wizard across "new" and "edit": saving a new draft moves to its edit address without a remount
  else if (page.name === 'new-transfer') content = <NewTransfer key="wizard" />;
  else if (page.name === 'edit-transfer') content = <NewTransfer key="wizard" id={page.id} />;
  else if (page.name === 'notifications') content = <Notifications />;
  else if (page.name === 'auth-callback') content = <AuthCallback />;
  else if (page.name === 'document') content = <DocumentPage id={page.id} filename={page.filename} />;
  else content = <NotFound />;
  return <Layout>{content}</Layout>;
}

function splitLocation(location: string): [string, string] {
  const i = location.indexOf('?');
  return i < 0 ? [location, ''] : [location.slice(0, i), location.slice(i)];
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link to="/">{t('nav.home')}</Link>
      </p>
    </>
  );
}

function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const queries = useQueryClient();
  useEffect(() => {
    document.title = t('app.title');
  }, [t, i18n.language]);
  const onSignOut = () => {
    signOut('signed-out');
    queries.clear();
    navigate('/sign-in');
  };
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <span className="brand">xborder</span>
        <nav aria-label={t('nav.label')}>
          <ul>
            <li>
              <Link to="/">{t('nav.home')}</Link>
            </li>
            {session && (
              <>
                <li>
                  <Link to="/inbox">{t('nav.inbox')}</Link>
                </li>
                <li>
                  <Link to="/transfers">{t('nav.transfers')}</Link>
                </li>
                {(session.role === 'reviewer' || session.role === 'admin') && (
                  <li>
                    <Link to="/codec">{t('case.nav.codec')}</Link>
                  </li>
                )}
                <li>
                  <NotificationsLink />
                </li>
              </>
            )}
          </ul>
        </nav>
        <div className="tools">
          <label htmlFor="language">{t('language')}</label>
          <select
            id="language"
            value={i18n.language}
            onChange={(e) => setLanguage(e.target.value as Language)}
          >
            {languages.map((l) => (
              <option key={l.code} value={l.code} lang={l.code}>
                {l.name}
              </option>
            ))}
          </select>
          {session ? (
            <>
              <span className="who">
                {t('nav.signedInAs', {
                  sub: session.sub,
                  role: t(`role.${session.role}`),
                  scope: session.org ?? session.recipient ?? '',
                })}
              </span>
              <button type="button" onClick={onSignOut}>
                {t('nav.signOut')}
              </button>
            </>
          ) : (
            <Link to="/sign-in">{t('signIn.submit')}</Link>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** What the console is for, by role, with the API reference and the Temporal UI one click away. */
import { useTranslation } from 'react-i18next';
import { Link } from '../router';
import { useSession } from '../session';

/** The Temporal Web UI of `npm start` (same host, port 8233). */
const temporalUi = () => `${location.protocol}//${location.hostname}:8233`;

export function Landing() {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <>
      <h1>{t('landing.title')}</h1>
      <p>{t('landing.intro')}</p>
      <section aria-labelledby="roles">
        <h2 id="roles">{t('landing.rolesTitle')}</h2>
        <dl className="roles">
          {(['applicant', 'reviewer', 'recipient'] as const).map((role) => (
            <div key={role}>
              <dt>{t(`role.${role}`)}</dt>
              <dd>{t(`landing.role.${role}`)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <p>
        {session ? (
          <Link to={session.role === 'applicant' ? '/transfers' : '/inbox'}>{t('landing.continue')}</Link>
        ) : (
          <Link to="/sign-in">{t('landing.signIn')}</Link>
        )}
      </p>
      <section aria-labelledby="more">
        <h2 id="more">{t('landing.moreTitle')}</h2>
        <ul>
          <li>
            <a href="/docs">{t('landing.docs')}</a>
          </li>
          <li>
            <a href={temporalUi()}>{t('landing.temporal')}</a>
          </li>
        </ul>
      </section>
    </>
  );
}

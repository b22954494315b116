/** What the console is for, by role, with the API reference, the Temporal UI and its codec page one click away. */
import { useTranslation } from 'react-i18next';
import { Link } from '../router';
import { useSession } from '../session';

/** The Temporal Web UI of `npm start` (same host, port 8233). */
export const temporalUi = () => `${location.protocol}//${location.hostname}:8233`;

const roles = ['applicant', 'reviewer', 'recipient'] as const;

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
          {roles.map((role) => (
            <div key={role}>
              <dt>{t(`role.${role}`)}</dt>
              <dd>
                <p>{t(`landing.role.${role}`)}</p>
                <p className="hint">{t(`landing.pages.${role}`)}</p>
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <p>
        {session ? (
          <Link to={session.role === 'reviewer' ? '/inbox' : '/transfers'}>{t('landing.continue')}</Link>
        ) : (
          <Link to="/sign-in">{t('landing.signIn')}</Link>
        )}
      </p>
      <section aria-labelledby="more">
        <h2 id="more">{t('landing.moreTitle')}</h2>
        <ul>
          <li>
            <a href="/docs">{t('landing.docs')}</a> — {t('landing.docsText')}
          </li>
          <li>
            <a href={temporalUi()}>{t('landing.temporal')}</a> — {t('landing.temporalText')}
          </li>
          <li>
            <Link to="/codec">{t('landing.codec')}</Link> — {t('landing.codecText')}
          </li>
        </ul>
      </section>
    </>
  );
}

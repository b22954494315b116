/**
 * The caller's notifications (GET /v1/notifications, newest first), each linked to its transfer. The API keeps
 * no read state, so "read" is this browser's: the newest id the user has marked read, per user.
 */
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ProblemSummary } from '../components/form';
import { Link } from '../router';
import { formatInstant } from '../format';
import { useSession, type Session } from '../session';
import { useProblem } from './common';

const keyOf = (s: Session | undefined) =>
  s ? `xborder.notificationsRead.${s.role}.${s.org ?? s.recipient ?? ''}.${s.sub}` : '';

const listeners = new Set<() => void>();

/** The newest notification id this user has marked read (0: none). */
export function useReadUpTo(): [number, (id: number) => void] {
  const session = useSession();
  const key = keyOf(session);
  const value = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => Number(localStorage.getItem(key) ?? 0),
  );
  return [
    value,
    (id: number) => {
      localStorage.setItem(key, String(id));
      listeners.forEach((l) => l());
    },
  ];
}

export function useNotifications(enabled = true) {
  return useQuery({
    queryKey: ['notifications'],
    queryFn: () => unwrap(api.GET('/v1/notifications')),
    refetchInterval: 15_000,
    enabled,
  });
}

/** The header's link, with the number of unread notifications. */
export function NotificationsLink() {
  const { t } = useTranslation();
  const list = useNotifications();
  const [readUpTo] = useReadUpTo();
  const unread = (list.data?.items ?? []).filter((n) => n.id > readUpTo).length;
  return (
    <Link to="/notifications">
      {t('apply.notifications.nav')}
      {unread > 0 && (
        <>
          {' '}
          <span className="count">{t('apply.notifications.unreadCount', { count: unread })}</span>
        </>
      )}
    </Link>
  );
}

export function Notifications() {
  const { t, i18n } = useTranslation();
  const list = useNotifications();
  const [readUpTo, setReadUpTo] = useReadUpTo();
  const items = list.data?.items ?? [];
  const newest = items.reduce((m, n) => Math.max(m, n.id), 0);
  const unread = items.filter((n) => n.id > readUpTo).length;
  return (
    <>
      <h1>{t('apply.notifications.title')}</h1>
      <p>{t('apply.notifications.intro')}</p>
      <ProblemSummary problem={useProblem(list.error)} />
      {list.isPending ? (
        <p role="status">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p role="status">{t('apply.notifications.empty')}</p>
      ) : (
        <>
          <p role="status">{t('apply.notifications.summary', { count: items.length, unread })}</p>
          {unread > 0 && (
            <button type="button" onClick={() => setReadUpTo(newest)}>
              {t('apply.notifications.markRead')}
            </button>
          )}
          <ul className="notifications">
            {items.map((n) => {
              const isNew = n.id > readUpTo;
              return (
                <li key={n.id} className={isNew ? 'unread' : undefined}>
                  {isNew && <span className="badge">{t('apply.notifications.new')}</span>}{' '}
                  <time dateTime={n.createdAt}>{formatInstant(n.createdAt, i18n.language)}</time>{' '}
                  <strong>
                    {t(`apply.notificationKind.${n.kind}`, { defaultValue: n.kind.replace(/[_.]/g, ' ') })}
                  </strong>
                  {' — '}
                  {n.message} <Link to={`/transfers/${n.transferId}`}>{t('apply.notifications.open')}</Link>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </>
  );
}

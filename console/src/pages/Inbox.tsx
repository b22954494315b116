/**
 * What awaits the caller's role (GET /v1/inbox): overdue first, then by working days left (the nearest deadline
 * first), filterable by phase, route and risk level. Working days left come from each transfer's own deadlines.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Summary } from '../api/client';
import { ProblemSummary } from '../components/form';
import { Link } from '../router';
import { formatInstant } from '../format';
import { useSession } from '../session';
import { actionWords } from '../words';
import { phases, uniqueById, useProblem } from './common';

export const routes = ['exempt', 'security_assessment', 'standard_contract', 'certification'] as const;
export const riskLevels = ['low', 'medium', 'high', 'critical'] as const;

/** Overdue first, then the nearest deadline (fewest working days left), then none. */
export function sortForInbox(items: Summary[]): Summary[] {
  const due = (s: Summary) => (s.nextDeadline ? Date.parse(s.nextDeadline) : Number.POSITIVE_INFINITY);
  return [...items].sort((a, b) => Number(b.overdue) - Number(a.overdue) || due(a) - due(b));
}

interface Filters {
  phase: string;
  route: string;
  risk: string;
}
const noFilters: Filters = { phase: '', route: '', risk: '' };

export function Inbox() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const [filters, setFilters] = useState<Filters>(noFilters);
  const inbox = useQuery({
    queryKey: ['inbox'],
    // the server pages (100 a page, overdue first): the console follows the pages up to its first thousand
    queryFn: async () => {
      const items: Summary[] = [];
      let pageToken: string | undefined;
      do {
        const page = await unwrap(api.GET('/v1/inbox', { params: { query: { pageToken } } }));
        items.push(...page.items);
        pageToken = page.nextPageToken ?? undefined;
      } while (pageToken && items.length < 1000);
      return { items };
    },
    refetchInterval: 5_000,
  });
  const all = uniqueById(inbox.data?.items ?? []);
  const items = sortForInbox(all).filter(
    (s) =>
      (!filters.phase || s.phase === filters.phase) &&
      (!filters.route || s.route === filters.route) &&
      (!filters.risk || s.riskLevel === filters.risk),
  );
  const problem = useProblem(inbox.error);
  const filtered = filters.phase !== '' || filters.route !== '' || filters.risk !== '';
  const set = (k: keyof Filters) => (e: { target: { value: string } }) =>
    setFilters((f) => ({ ...f, [k]: e.target.value }));
  return (
    <>
      <h1>{t('inbox.title')}</h1>
      <p>{t('inbox.intro')}</p>
      <div className="filters" role="group" aria-label={t('case.inbox.filters')}>
        <label htmlFor="phase-filter">{t('filter.phase')}</label>
        <select id="phase-filter" value={filters.phase} onChange={set('phase')}>
          <option value="">{t('filter.allPhases')}</option>
          {phases.map((p) => (
            <option key={p} value={p}>
              {t(`phase.${p}`)}
            </option>
          ))}
        </select>
        <label htmlFor="route-filter">{t('transfer.route')}</label>
        <select id="route-filter" value={filters.route} onChange={set('route')}>
          <option value="">{t('case.inbox.allRoutes')}</option>
          {routes.map((r) => (
            <option key={r} value={r}>
              {t(`route.${r}`)}
            </option>
          ))}
        </select>
        <label htmlFor="risk-filter">{t('case.inbox.riskLevel')}</label>
        <select id="risk-filter" value={filters.risk} onChange={set('risk')}>
          <option value="">{t('case.inbox.allRisks')}</option>
          {riskLevels.map((r) => (
            <option key={r} value={r}>
              {t(`risk.${r}`)}
            </option>
          ))}
        </select>
        {filtered && (
          <button type="button" className="secondary" onClick={() => setFilters(noFilters)}>
            {t('case.inbox.clear')}
          </button>
        )}
      </div>
      <ProblemSummary problem={problem} />
      {inbox.isPending ? (
        <p role="status">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <div role="status" className="empty">
          {filtered && all.length > 0 ? (
            <p>{t('case.inbox.noMatch', { count: all.length })}</p>
          ) : (
            <>
              <p>{t('inbox.empty')}</p>
              <p>
                {t(`case.inbox.emptyWhat.${session?.role ?? 'applicant'}`)}{' '}
                <Link to="/transfers">{t('case.inbox.seeAll')}</Link>
              </p>
            </>
          )}
        </div>
      ) : (
        <table>
          <caption>{t('inbox.caption', { count: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('transfer.titleCol')}</th>
              <th scope="col">{t('case.inbox.awaits')}</th>
              <th scope="col">{t('transfer.phase')}</th>
              <th scope="col">{t('transfer.route')}</th>
              <th scope="col">{t('transfer.risk')}</th>
              <th scope="col">{t('deadline.due')}</th>
              <th scope="col">{t('deadline.workingDaysLeft')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => {
              const left = s.workingDaysLeft ?? undefined;
              // what the caller is awaited for comes with the row (awaitingAction)
              const mine = s.awaitingRole === session?.role && s.awaitingAction ? [s.awaitingAction] : [];
              return (
                <tr key={s.id} className={s.overdue ? 'overdue' : undefined}>
                  <td>
                    <Link to={`/transfers/${s.id}`}>{s.title ?? s.id}</Link>
                  </td>
                  <td>
                    {mine.length > 0
                      ? mine.map((a) => actionWords(t, a)).join('; ')
                      : t(`status.${s.status}`, { defaultValue: s.status })}
                  </td>
                  <td>{s.phase ? t(`phase.${s.phase}`, { defaultValue: s.phase }) : '—'}</td>
                  <td>{s.route ? t(`route.${s.route}`, { defaultValue: s.route }) : '—'}</td>
                  <td>{s.riskLevel ? t(`risk.${s.riskLevel}`, { defaultValue: s.riskLevel }) : '—'}</td>
                  <td>{formatInstant(s.nextDeadline, i18n.language)}</td>
                  <td>
                    {s.overdue ? (
                      <strong className="badge overdue">{t('deadline.overdue')}</strong>
                    ) : left !== undefined ? (
                      t('case.deadline.daysLeft', { count: left })
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

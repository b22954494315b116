/**
 * What awaits the caller's role (GET /v1/inbox): overdue first, then by working days left (the nearest
 * deadline), with a phase filter. Working days left come from each transfer's own deadlines.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueries, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Summary, type Transfer } from '../api/client';
import { ProblemSummary } from '../components/form';
import { Link } from '../router';
import { formatInstant } from '../format';
import { phases, uniqueById, useProblem } from './common';

/** The working days left on the transfer's nearest running deadline. */
export function workingDaysLeft(t: Transfer | undefined): number | undefined {
  const running = (t?.deadlines ?? []).filter((d) => !d.paused && d.workingDaysLeft !== null);
  running.sort((a, b) => (a.workingDaysLeft ?? 0) - (b.workingDaysLeft ?? 0));
  return running[0]?.workingDaysLeft ?? undefined;
}

export function sortForInbox(items: Summary[]): Summary[] {
  const due = (s: Summary) => (s.nextDeadline ? Date.parse(s.nextDeadline) : Number.POSITIVE_INFINITY);
  return [...items].sort((a, b) => Number(b.overdue) - Number(a.overdue) || due(a) - due(b));
}

export function Inbox() {
  const { t, i18n } = useTranslation();
  const [phase, setPhase] = useState('');
  const inbox = useQuery({
    queryKey: ['inbox'],
    queryFn: () => unwrap(api.GET('/v1/inbox')),
    refetchInterval: 5_000,
  });
  const items = sortForInbox(uniqueById(inbox.data?.items ?? [])).filter((s) => !phase || s.phase === phase);
  const details = useQueries({
    queries: items.map((s) => ({
      queryKey: ['transfer', s.id],
      queryFn: () => unwrap(api.GET('/v1/transfers/{id}', { params: { path: { id: s.id } } })),
      staleTime: 10_000,
    })),
  });
  const problem = useProblem(inbox.error);
  return (
    <>
      <h1>{t('inbox.title')}</h1>
      <p>{t('inbox.intro')}</p>
      <div className="filters">
        <label htmlFor="phase-filter">{t('filter.phase')}</label>
        <select id="phase-filter" value={phase} onChange={(e) => setPhase(e.target.value)}>
          <option value="">{t('filter.allPhases')}</option>
          {phases.map((p) => (
            <option key={p} value={p}>
              {t(`phase.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <ProblemSummary problem={problem} />
      {inbox.isPending ? (
        <p role="status">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p role="status">{t('inbox.empty')}</p>
      ) : (
        <table>
          <caption>{t('inbox.caption', { count: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('transfer.titleCol')}</th>
              <th scope="col">{t('transfer.status')}</th>
              <th scope="col">{t('transfer.phase')}</th>
              <th scope="col">{t('deadline.due')}</th>
              <th scope="col">{t('deadline.workingDaysLeft')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s, i) => {
              const left = workingDaysLeft(details[i]?.data);
              return (
                <tr key={s.id} className={s.overdue ? 'overdue' : undefined}>
                  <td>
                    <Link to={`/transfers/${s.id}`}>{s.title ?? s.id}</Link>
                  </td>
                  <td>{t(`status.${s.status}`, { defaultValue: s.status })}</td>
                  <td>{s.phase ? t(`phase.${s.phase}`, { defaultValue: s.phase }) : '—'}</td>
                  <td>{formatInstant(s.nextDeadline, i18n.language)}</td>
                  <td>{s.overdue ? <strong>{t('deadline.overdue')}</strong> : (left ?? '—')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

/**
 * The transfers in the caller's scope (GET /v1/transfers), newest first, filterable by phase: status, phase,
 * the next deadline with its working days left, an overdue badge. An applicant starts a new application here.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ProblemSummary } from '../components/form';
import { Link } from '../router';
import { formatInstant } from '../format';
import { useSession } from '../session';
import { phases, uniqueById, useProblem } from './common';

export function Transfers() {
  const { t, i18n } = useTranslation();
  const [phase, setPhase] = useState<(typeof phases)[number] | ''>('');
  const [pageToken, setPageToken] = useState<string>();
  const list = useQuery({
    queryKey: ['transfers', phase, pageToken],
    queryFn: () =>
      unwrap(
        api.GET('/v1/transfers', {
          params: {
            query: { pageSize: 50, ...(phase ? { phase } : {}), ...(pageToken ? { pageToken } : {}) },
          },
        }),
      ),
    refetchInterval: 10_000,
  });
  const problem = useProblem(list.error);
  const items = uniqueById(list.data?.items ?? []);
  const session = useSession();
  return (
    <>
      <h1>{t('transfers.title')}</h1>
      {session?.role === 'applicant' && (
        <p>
          <Link to="/transfers/new" className="button">
            {t('apply.list.new')}
          </Link>
        </p>
      )}
      <div className="filters">
        <label htmlFor="phase-filter">{t('filter.phase')}</label>
        <select
          id="phase-filter"
          value={phase}
          onChange={(e) => {
            setPhase(e.target.value as typeof phase);
            setPageToken(undefined);
          }}
        >
          <option value="">{t('filter.allPhases')}</option>
          {phases.map((p) => (
            <option key={p} value={p}>
              {t(`phase.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <ProblemSummary problem={problem} />
      {list.isPending ? (
        <p role="status">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p role="status">{session?.role === 'applicant' ? t('apply.list.empty') : t('transfers.empty')}</p>
      ) : (
        <table>
          <caption>{t('transfers.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('transfer.titleCol')}</th>
              <th scope="col">{t('transfer.status')}</th>
              <th scope="col">{t('transfer.phase')}</th>
              <th scope="col">{t('transfer.country')}</th>
              <th scope="col">{t('deadline.due')}</th>
              <th scope="col">{t('deadline.workingDaysLeft')}</th>
              <th scope="col">{t('transfer.created')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => {
              const left = s.workingDaysLeft ?? undefined;
              return (
                <tr key={s.id} className={s.overdue ? 'overdue' : undefined}>
                  <td>
                    <Link to={s.status === 'draft' ? `/transfers/${s.id}/edit` : `/transfers/${s.id}`}>
                      {s.title ?? t('apply.list.untitled')}
                    </Link>
                  </td>
                  <td>{t(`status.${s.status}`, { defaultValue: s.status })}</td>
                  <td>{s.phase ? t(`phase.${s.phase}`, { defaultValue: s.phase }) : '—'}</td>
                  <td>{s.destinationCountry ?? '—'}</td>
                  <td>{formatInstant(s.nextDeadline, i18n.language)}</td>
                  <td>
                    {s.overdue ? (
                      <strong className="badge overdue">{t('deadline.overdue')}</strong>
                    ) : (
                      (left ?? '—')
                    )}
                  </td>
                  <td>{formatInstant(s.createdAt, i18n.language)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {list.data?.nextPageToken && (
        <button type="button" onClick={() => setPageToken(list.data.nextPageToken ?? undefined)}>
          {t('transfers.next')}
        </button>
      )}
    </>
  );
}

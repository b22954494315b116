/**
 * A recipient's transfers: every transfer naming them (GET /v1/transfers, scoped to the recipient), with what is
 * awaited of them next and its deadline (Asia/Shanghai, working days left).
 */
import { useTranslation } from 'react-i18next';
import { useQueries, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ProblemSummary } from '../components/form';
import { DueState } from '../components/Timeline';
import { formatInstant } from '../format';
import { Link } from '../router';
import { actionWords } from '../words';
import { uniqueById, useProblem } from './common';

export function RecipientTransfers() {
  const { t, i18n } = useTranslation();
  const list = useQuery({
    queryKey: ['transfers', 'recipient'],
    queryFn: () => unwrap(api.GET('/v1/transfers', { params: { query: { pageSize: 100 } } })),
    refetchInterval: 10_000,
  });
  const items = uniqueById(list.data?.items ?? []);
  const details = useQueries({
    queries: items.map((s) => ({
      queryKey: ['transfer', s.id],
      queryFn: () => unwrap(api.GET('/v1/transfers/{id}', { params: { path: { id: s.id } } })),
      staleTime: 10_000,
    })),
  });
  const problem = useProblem(list.error);
  return (
    <>
      <h1>{t('case.recipient.title')}</h1>
      <p>{t('case.recipient.intro')}</p>
      <ProblemSummary problem={problem} />
      {list.isPending ? (
        <p role="status">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p role="status" className="empty">
          {t('case.recipient.empty')}
        </p>
      ) : (
        <table>
          <caption>{t('case.recipient.caption', { count: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('transfer.titleCol')}</th>
              <th scope="col">{t('transfer.status')}</th>
              <th scope="col">{t('case.recipient.awaitedOfYou')}</th>
              <th scope="col">{t('deadline.due')}</th>
              <th scope="col">{t('deadline.workingDaysLeft')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s, i) => {
              const tr = details[i]?.data;
              const mine = tr?.awaiting.filter((a) => a.role === 'recipient') ?? [];
              const d = mine.length > 0 ? tr?.deadlines.find((x) => x.actor === 'recipient') : undefined;
              return (
                <tr key={s.id} className={d?.overdue ? 'overdue' : undefined}>
                  <td>
                    <Link to={`/transfers/${s.id}`}>{s.title ?? s.id}</Link>
                  </td>
                  <td>{t(`status.${s.status}`, { defaultValue: s.status })}</td>
                  <td>
                    {!tr
                      ? '…'
                      : mine.length > 0
                        ? mine.map((a) => actionWords(t, a.action)).join('; ')
                        : t('case.recipient.nothing')}
                  </td>
                  <td>{d ? formatInstant(d.dueAt, i18n.language) : '—'}</td>
                  <td>{d ? <DueState d={d} /> : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

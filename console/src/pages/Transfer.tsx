/**
 * One transfer: where it stands, its deadlines (Asia/Shanghai, working days left, paused shown paused), what it
 * awaits from whom, the decisions history, and the forms for what the caller may do now.
 */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Transfer } from '../api/client';
import { ProblemSummary } from '../components/form';
import { formatInstant } from '../format';
import { useSession } from '../session';
import { ActionFor, supportedActions } from '../actions/forms';
import { ApplicantAction, ApplicantMore, applicantActions } from '../actions/applicant';
import { useProblem } from './common';

export function TransferPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const transfer = useQuery({
    queryKey: ['transfer', id],
    queryFn: () => unwrap(api.GET('/v1/transfers/{id}', { params: { path: { id } } })),
    refetchInterval: 3_000,
  });
  const problem = useProblem(transfer.error);
  if (transfer.isPending) return <p role="status">{t('common.loading')}</p>;
  if (!transfer.data)
    return (
      <>
        <h1>{t('transfer.notFound')}</h1>
        <ProblemSummary problem={problem} />
      </>
    );
  const tr = transfer.data;
  const mine = awaitingOf(tr).filter((a) => a.role === session?.role);
  return (
    <>
      <h1>{tr.title ?? tr.id}</h1>
      <Facts tr={tr} />
      <section aria-labelledby="actions-title">
        <h2 id="actions-title">{t('actions.title')}</h2>
        {mine.length === 0 ? (
          <p>{t('actions.none')}</p>
        ) : (
          mine.map((a) =>
            supportedActions.includes(a.action) ? (
              <ActionFor key={a.action} action={a.action} transfer={tr} />
            ) : applicantActions.includes(a.action) ? (
              <ApplicantAction key={a.action} action={a.action} transfer={tr} />
            ) : (
              <p key={a.action}>
                {t('actions.notHere', { action: t(`action.${a.action}`, { defaultValue: a.action }) })}
              </p>
            ),
          )
        )}
        {session?.role === 'applicant' && <ApplicantMore transfer={tr} />}
      </section>
      <Deadlines tr={tr} />
      <History id={id} />
    </>
  );
}

/** What the transfer awaits, with action names as API.md spells them (risk_decision, not risk-decision). */
function awaitingOf(tr: Transfer): { role: string; action: string }[] {
  return tr.awaiting.map((a) => ({ role: a.role, action: a.action.replace(/-/g, '_') }));
}

/** A history entry's action (`review.complete`) in words: the action, then its outcome. */
function historyAction(t: TFunction, action: string): string {
  const [name = action, outcome] = action.split('.');
  const words = t(`action.${name}`, { defaultValue: name.replace(/[_-]/g, ' ') });
  return outcome
    ? `${words}: ${t(`decision.${outcome}`, { defaultValue: outcome.replace(/_/g, ' ') })}`
    : words;
}

function Facts({ tr }: { tr: Transfer }) {
  const { t } = useTranslation();
  return (
    <dl className="facts">
      <div>
        <dt>{t('transfer.status')}</dt>
        <dd data-testid="status">{t(`status.${tr.status}`, { defaultValue: tr.status })}</dd>
      </div>
      <div>
        <dt>{t('transfer.phase')}</dt>
        <dd>{t(`phase.${tr.phase}`, { defaultValue: tr.phase })}</dd>
      </div>
      <div>
        <dt>{t('transfer.route')}</dt>
        <dd>{tr.route?.route ? t(`route.${tr.route.route}`, { defaultValue: tr.route.route }) : '—'}</dd>
      </div>
      {tr.risk && (
        <div>
          <dt>{t('transfer.risk')}</dt>
          <dd>
            {t(`risk.${tr.risk.level}`, { defaultValue: tr.risk.level })} ({tr.risk.score})
          </dd>
        </div>
      )}
      <div>
        <dt>{t('transfer.awaiting')}</dt>
        <dd>
          {tr.awaiting.length === 0
            ? '—'
            : awaitingOf(tr)
                .map((a) =>
                  t('transfer.awaitingItem', {
                    action: t(`action.${a.action}`, { defaultValue: a.action }),
                    role: t(`role.${a.role}`, { defaultValue: a.role }),
                  }),
                )
                .join('; ')}
        </dd>
      </div>
      {tr.filingNumber && (
        <div>
          <dt>{t('transfer.filingNumber')}</dt>
          <dd data-testid="filing-number">{tr.filingNumber}</dd>
        </div>
      )}
    </dl>
  );
}

function Deadlines({ tr }: { tr: Transfer }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="deadlines-title">
      <h2 id="deadlines-title">{t('deadline.title')}</h2>
      {tr.deadlines.length === 0 ? (
        <p>{t('deadline.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('deadline.step')}</th>
              <th scope="col">{t('deadline.actor')}</th>
              <th scope="col">{t('deadline.due')}</th>
              <th scope="col">{t('deadline.workingDaysLeft')}</th>
            </tr>
          </thead>
          <tbody>
            {tr.deadlines.map((d) => (
              <tr key={d.step} className={d.overdue ? 'overdue' : undefined}>
                <td>{t(`step.${d.step}`, { defaultValue: d.step.replace(/_/g, ' ') })}</td>
                <td>{t(`role.${d.actor}`)}</td>
                <td>{d.paused ? t('deadline.paused') : formatInstant(d.dueAt, i18n.language)}</td>
                <td>
                  {d.paused
                    ? t('deadline.paused')
                    : d.overdue
                      ? t('deadline.overdue')
                      : (d.workingDaysLeft ?? '—')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">{t('deadline.zone')}</p>
    </section>
  );
}

function History({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const history = useQuery({
    queryKey: ['history', id],
    queryFn: () => unwrap(api.GET('/v1/transfers/{id}/history', { params: { path: { id } } })),
    refetchInterval: 5_000,
  });
  const entries = history.data?.entries ?? [];
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('history.title')}</h2>
      <ProblemSummary problem={useProblem(history.error)} />
      {entries.length === 0 ? (
        <p>{t('history.none')}</p>
      ) : (
        <ol className="history">
          {entries.map((e) => (
            <li key={e.seq}>
              <time dateTime={e.at}>{formatInstant(e.at, i18n.language)}</time>{' '}
              <strong>{historyAction(t, e.action)}</strong> — {e.actor} (
              {t(`role.${e.role}`, { defaultValue: e.role })}): {e.summary}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/**
 * The case page: where a transfer stands and what it awaits from whom (with the deadline), the forms for what the
 * caller may do now (four-eyes state beside the risk decision), its lifecycle timeline, the agreement, the risk
 * score explained, the automated findings, the application in sections with its materials, and the history.
 */
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Transfer } from '../api/client';
import { ProblemSummary } from '../components/form';
import { Agreement, ApplicationSections, Findings, Materials } from '../components/Application';
import { History } from '../components/History';
import { RiskChart } from '../components/RiskChart';
import { DueState, Timeline } from '../components/Timeline';
import { formatInstant } from '../format';
import { Link } from '../router';
import { useSession, type Session } from '../session';
import { ActionFor, supportedActions } from '../actions/forms';
import { RefusalProvider } from '../actions/refusal';
import { actionWords, awaitingWords } from '../words';
import { ApplicantAction, ApplicantMore, applicantActions } from '../actions/applicant';
import { useProblem } from './common';
import { EuAction, EuCase, euActions, isEu } from '../eu/case';

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
        <p>
          <Link to={session?.role === 'reviewer' ? '/inbox' : '/transfers'}>{t('case.backToList')}</Link>
        </p>
      </>
    );
  const tr = transfer.data;
  const recipient = session?.role === 'recipient';
  return (
    <>
      <h1>{tr.title ?? tr.id}</h1>
      <Facts tr={tr} />
      <NextStep tr={tr} session={session} />
      <RefusalProvider tr={tr}>
        <Actions tr={tr} session={session} />
      </RefusalProvider>
      {isEu(tr) && <EuCase tr={tr} />}
      <Timeline tr={tr} />
      <Agreement tr={tr} />
      {tr.risk && <RiskChart risk={tr.risk} />}
      {!recipient && <Findings tr={tr} />}
      <ApplicationSections tr={tr} />
      {!recipient && <Materials tr={tr} />}
      <Supervision tr={tr} />
      <History tr={tr} />
      {!recipient && (
        <p>
          <Link to={`/transfers/${tr.id}/evidence`}>{t('case.evidenceLink')}</Link>
        </p>
      )}
    </>
  );
}

/** What the transfer awaits, with action names as API.md's paths spell them, in the code's snake case. */
function awaitingOf(tr: Transfer): { role: string; action: string }[] {
  return tr.awaiting.map((a) => ({ role: a.role, action: a.action.replace(/-/g, '_') }));
}

const supervised = ['active', 'change_review', 'rectification_ordered', 'suspended', 'extension_requested'];

/** The actions the caller's role may take now: those awaited of it, then a reviewer's standing ones. */
function actionsFor(tr: Transfer, role: string | undefined): string[] {
  const mine = awaitingOf(tr)
    .filter((a) => a.role === role)
    .map((a) => a.action);
  if (isEu(tr)) {
    // a derogation-based transfer reports each use while active (EU-GDPR.md §7); cn-2024's standing steps are not its own
    if (role === 'applicant' && tr.status === 'active' && tr.route?.route === 'derogation')
      return [...mine, 'report_use'];
    return mine;
  }
  if (role !== 'reviewer') return mine;
  const extra: string[] = [];
  if (supervised.includes(tr.status)) extra.push('supervise');
  if (tr.deadlines.some((d) => d.step === 'substantive_review')) extra.push('extend_review');
  return [...mine, ...extra.filter((a) => !mine.includes(a))];
}

/** The deadline that bears on what the role must do: its own clock, else the transfer's nearest one. */
function deadlineFor(tr: Transfer, role: string | undefined) {
  return (
    tr.deadlines.find((d) => d.actor === role && d.dueAt) ?? tr.deadlines.find((d) => d.dueAt && !d.paused)
  );
}

function NextStep({ tr, session }: { tr: Transfer; session: Session | undefined }) {
  const { t, i18n } = useTranslation();
  const mine = awaitingOf(tr).filter((a) => a.role === session?.role);
  const others = awaitingWords(t, tr.awaiting);
  const d = mine.length > 0 ? deadlineFor(tr, session?.role) : deadlineFor(tr, tr.awaiting[0]?.role);
  return (
    <section aria-labelledby="next-title" className="next-step">
      <h2 id="next-title">{t('case.next.title')}</h2>
      <p data-testid="next-step">
        {mine.length > 0
          ? t('case.next.yours', { actions: mine.map((a) => actionWords(t, a.action)).join('; ') })
          : tr.phase === 'closed'
            ? t('case.next.closed', { status: t(`status.${tr.status}`, { defaultValue: tr.status }) })
            : others
              ? t('case.next.others', { awaits: others })
              : t('case.next.nothing')}
      </p>
      {d && tr.awaiting.length > 0 && (
        <p>
          {d.paused
            ? t('case.next.paused', { step: t(`case.step.${d.step}`, { defaultValue: d.step }) })
            : t('case.next.due', { due: formatInstant(d.dueAt, i18n.language) })}{' '}
          {!d.paused && <DueState d={d} />}
        </p>
      )}
    </section>
  );
}

function Actions({ tr, session }: { tr: Transfer; session: Session | undefined }) {
  const { t } = useTranslation();
  const actions = actionsFor(tr, session?.role);
  const eyes = session?.role === 'reviewer' ? fourEyes(tr, session.sub) : undefined;
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">{t('actions.title')}</h2>
      {eyes && <FourEyes state={eyes} />}
      {actions.length === 0 ? (
        <p>{t('actions.none')}</p>
      ) : (
        actions.map((a) =>
          eyes?.excluded && eyes.action === a ? null : euActions.includes(a) ? (
            <EuAction key={a} action={a} transfer={tr} />
          ) : supportedActions.includes(a) ? (
            <ActionFor key={a} action={a} transfer={tr} />
          ) : applicantActions.includes(a) ? (
            <ApplicantAction key={a} action={a} transfer={tr} />
          ) : (
            <p key={a}>{t('actions.notHere', { action: actionWords(t, a) })}</p>
          ),
        )
      )}
      {session?.role === 'applicant' && <ApplicantMore transfer={tr} withdrawOnly={isEu(tr)} />}
    </section>
  );
}

export interface FourEyesState {
  action: 'risk_decision' | 're_review_decision';
  rule: string;
  approvals?: { have: string[]; needed: number };
  excluded: boolean;
  /** who may not decide (besides the caller) */
  notBy: string[];
}

/**
 * Separation of duties as the server states it (the view's `separationOfDuties`, the same function its decisions
 * refuse by): which rule applies, approvals so far of those needed, who may not decide and whether that is you.
 */
export function fourEyes(tr: Transfer, sub: string): FourEyesState | undefined {
  const sod = tr.separationOfDuties;
  if (!sod) return undefined;
  const rule =
    sod.action === 're_review_decision'
      ? 'reReview'
      : sod.approvalsNeeded > 1
        ? 'critical'
        : sod.excluded.some((e) => e.rule === 'substantive_reviewer')
          ? 'high'
          : undefined;
  if (!rule) return undefined; // a low or medium risk decision: any reviewer, once
  return {
    action: sod.action,
    rule,
    ...(sod.approvalsNeeded > 1 ? { approvals: { have: sod.approvedBy, needed: sod.approvalsNeeded } } : {}),
    excluded: sod.excluded.some((e) => e.sub === sub),
    notBy: [...new Set(sod.excluded.map((e) => e.sub))],
  };
}

function FourEyes({ state }: { state: FourEyesState }) {
  const { t } = useTranslation();
  return (
    <div className="four-eyes" role="note" aria-labelledby="four-eyes-title" data-testid="four-eyes">
      <h3 id="four-eyes-title">{t('case.fourEyes.title')}</h3>
      <p>{t(`case.fourEyes.rule.${state.rule}`)}</p>
      {state.approvals && (
        <p>
          {t('case.fourEyes.approvals', {
            have: state.approvals.have.length,
            needed: state.approvals.needed,
            by: state.approvals.have.join(', ') || '—',
          })}
        </p>
      )}
      {state.notBy.length > 0 && <p>{t('case.fourEyes.notBy', { names: state.notBy.join(', ') })}</p>}
      <p>
        <strong>{state.excluded ? t('case.fourEyes.notYou') : t('case.fourEyes.you')}</strong>
      </p>
    </div>
  );
}

function Facts({ tr }: { tr: Transfer }) {
  const { t, i18n } = useTranslation();
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
        <dd>{awaitingWords(t, tr.awaiting) ?? '—'}</dd>
      </div>
      <div>
        <dt>{t('case.submittedAt')}</dt>
        <dd>{formatInstant(tr.submittedAt, i18n.language)}</dd>
      </div>
      <div>
        <dt>{t('case.policy')}</dt>
        <dd>
          {tr.policy.id} {tr.policy.version}
        </dd>
      </div>
      {tr.registerNumber && (
        <div>
          <dt>{t('eu.case.registerNumber')}</dt>
          <dd data-testid="register-number-fact">{tr.registerNumber}</dd>
        </div>
      )}
      {tr.filingNumber && (
        <div>
          <dt>{t('transfer.filingNumber')}</dt>
          <dd data-testid="filing-number">{tr.filingNumber}</dd>
        </div>
      )}
      {tr.validity && (
        <div>
          <dt>{t('case.validity')}</dt>
          <dd>
            {formatInstant(tr.validity.from, i18n.language)} –{' '}
            {formatInstant(tr.validity.until, i18n.language)}
          </dd>
        </div>
      )}
    </dl>
  );
}

function Supervision({ tr }: { tr: Transfer }) {
  const { t, i18n } = useTranslation();
  const sup = tr.supervision;
  if (!sup) return null;
  return (
    <section aria-labelledby="supervision-title">
      <h2 id="supervision-title">{t('case.supervision.title')}</h2>
      <p>{t('case.supervision.nextReport', { due: formatInstant(sup.nextReportDue, i18n.language) })}</p>
      {sup.actions.length === 0 ? (
        <p>{t('case.supervision.none')}</p>
      ) : (
        <ul data-testid="supervision-actions">
          {sup.actions.map((a, i) => (
            <li key={`${a.at}-${i}`}>
              <time dateTime={a.at}>{formatInstant(a.at, i18n.language)}</time>{' '}
              <strong>{t(`case.supervise.kinds.${a.kind}`, { defaultValue: a.kind })}</strong> — {a.by}
              {a.automatic ? ` (${t('case.supervision.automatic')})` : ''}: {a.reason}
              {a.deadline ? ` — ${t('case.supervision.deadline', { date: a.deadline })}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

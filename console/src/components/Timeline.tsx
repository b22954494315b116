/**
 * The transfer's life at a glance: the phases it went through with the day each began (from its decisions), and
 * every running deadline with its due instant in Asia/Shanghai and the working days left — paused clocks shown
 * paused, missed ones marked overdue.
 */
import { useTranslation } from 'react-i18next';
import type { Transfer } from '../api/client';
import { formatInstant } from '../format';
import { phases } from '../pages/common';
import { roleWords, stepWords } from '../words';

type Phase = (typeof phases)[number];
type Deadline = Transfer['deadlines'][number];

/** The instant the transfer entered each phase it reached, read from its decisions. */
export function phaseDates(tr: Transfer): Partial<Record<Phase, string>> {
  const first = (test: (action: string) => boolean) => tr.decisions.find((d) => test(d.action))?.at;
  const approved = (a: string) =>
    /^(risk-decision|re-review-decision)\.approve/.test(a) && !a.endsWith('first_approval');
  const dates: Partial<Record<Phase, string>> = {
    application: tr.createdAt,
    completeness: tr.submittedAt ?? undefined,
    substantive_review: first((a) => a === 'completeness.accept'),
    risk_assessment: tr.review?.at ?? first((a) => a === 'review.complete'),
    signing: first(approved),
    filing: tr.agreement?.countersignedAt ?? first((a) => a === 'countersign'),
    supervision: tr.filing?.acceptedAt ?? first((a) => a === 'filing-decision.accept'),
    closed: tr.phase === 'closed' ? tr.updatedAt : undefined,
  };
  if (tr.policy.id === 'eu-gdpr') {
    // the privacy office's approval opens the agreement phase; the register number, supervision (no filing)
    dates.signing = first((a) => a === 'privacy-review.approve');
    dates.supervision = first((a) => a === 'register_number_issued');
  }
  return Object.fromEntries(Object.entries(dates).filter(([, v]) => v));
}

export function Timeline({ tr }: { tr: Transfer }) {
  const { t, i18n } = useTranslation();
  const dates = phaseDates(tr);
  // eu-gdpr has no risk assessment step and no regulator filing (EU-GDPR.md §4.4, §7)
  const shown: readonly Phase[] =
    tr.policy.id === 'eu-gdpr' ? phases.filter((p) => p !== 'risk_assessment' && p !== 'filing') : phases;
  const current = shown.indexOf(tr.phase);
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('case.timeline.title')}</h2>
      <ol className="timeline">
        {shown.map((p, i) => {
          const state =
            i === current
              ? 'current'
              : i < current && dates[p]
                ? 'done'
                : i < current
                  ? 'skipped'
                  : 'upcoming';
          return (
            <li key={p} className={`phase-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="phase-name">{t(`phase.${p}`)}</span>{' '}
              <span className="phase-state">{t(`case.timeline.${state}`)}</span>
              {dates[p] && (
                <>
                  {' '}
                  <time dateTime={dates[p]}>{formatInstant(dates[p], i18n.language)}</time>
                </>
              )}
            </li>
          );
        })}
      </ol>
      <Deadlines deadlines={tr.deadlines} />
    </section>
  );
}

/** Working days left in words: "3 working days left", "Paused", "Overdue". */
export function DueState({
  d,
}: {
  d: Pick<Deadline, 'paused' | 'overdue' | 'workingDaysLeft'> & {
    calendarVersion?: string;
    dueAt?: string | null;
  };
}) {
  const { t } = useTranslation();
  if (d.paused) return <span className="badge paused">{t('deadline.paused')}</span>;
  if (d.overdue) return <strong className="badge overdue">{t('deadline.overdue')}</strong>;
  if (d.workingDaysLeft === null) return <>—</>;
  // a pack counting calendar days (eu-gdpr: `calendar-days-utc@…`): the days to the due instant (the view's
  // workingDaysLeft counts working days, which such a pack does not have)
  if (isCalendarDays(d) && d.dueAt)
    return (
      <>
        {t('case.deadline.calendarDaysLeft', {
          count: Math.max(0, Math.ceil((Date.parse(d.dueAt) - Date.now()) / 86_400_000)),
        })}
      </>
    );
  return <>{t('case.deadline.daysLeft', { count: d.workingDaysLeft })}</>;
}

const isCalendarDays = (d: { calendarVersion?: string }) =>
  d.calendarVersion?.startsWith('calendar-days') ?? false;

export function Deadlines({ deadlines }: { deadlines: Deadline[] }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <h3>{t('deadline.title')}</h3>
      {deadlines.length === 0 ? (
        <p>{t('deadline.none')}</p>
      ) : (
        <table className="deadlines">
          <thead>
            <tr>
              <th scope="col">{t('deadline.step')}</th>
              <th scope="col">{t('deadline.actor')}</th>
              <th scope="col">{t('deadline.due')}</th>
              <th scope="col">
                {deadlines.length > 0 && deadlines.every(isCalendarDays)
                  ? t('deadline.daysLeft')
                  : t('deadline.workingDaysLeft')}
              </th>
            </tr>
          </thead>
          <tbody>
            {deadlines.map((d) => (
              <tr
                key={d.step}
                className={d.overdue ? 'overdue' : d.paused ? 'paused' : undefined}
                data-testid={`deadline-${d.step}`}
              >
                <th scope="row">{stepWords(t, d.step)}</th>
                <td>{roleWords(t, d.actor)}</td>
                <td>
                  {d.paused ? (
                    t('case.deadline.pausedDue')
                  ) : (
                    <time dateTime={d.dueAt ?? undefined}>{formatInstant(d.dueAt, i18n.language)}</time>
                  )}
                  {d.calendarApproximate && <span className="hint"> {t('case.deadline.approximate')}</span>}
                </td>
                <td>
                  <DueState d={d} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">
        {deadlines.length > 0 && deadlines.every(isCalendarDays)
          ? t('deadline.zoneCalendarDays')
          : t('deadline.zone')}
      </p>
    </>
  );
}

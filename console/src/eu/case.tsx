/**
 * The case page of an eu-gdpr transfer (EU-GDPR.md §4.4, §7, §9): the route with every rule, its reason and source,
 * the TIA result, the register number (no regulator filing), the §7 re-evaluations; and the forms of its own
 * steps: the privacy office's review with the §9 checklist of the transfer's route (GET /v1/policy?id=eu-gdpr),
 * its decision on a re-evaluation, the applicant's answer to a re-evaluation (the transfer's current facts with
 * the TIA and DPF changes) and the use report of a derogation-based transfer.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type BodyOf, type Transfer } from '../api/client';
import { RadioGroup, SelectField, TextField } from '../components/form';
import { formatInstant } from '../format';
import { ActionForm, opt, useAction } from '../actions/forms';
import { RuleList } from './NewEuTransfer';

export const euActions: readonly string[] = [
  'privacy_review',
  're_evaluate',
  're_evaluation_decision',
  'report_use',
];

export const isEu = (tr: Transfer) => tr.policy.id === 'eu-gdpr';

type Rule = { id: string; reason: string; source?: string; outcome?: string };
type Facts = BodyOf<'/v1/transfers/{id}/re-evaluate'>['facts'];

export function EuAction({ action, transfer }: { action: string; transfer: Transfer }) {
  switch (action) {
    case 'privacy_review':
      return <PrivacyReview transfer={transfer} />;
    case 're_evaluation_decision':
      return <ReEvaluationDecision transfer={transfer} />;
    case 're_evaluate':
      return <ReEvaluate transfer={transfer} />;
    case 'report_use':
      return <ReportUse transfer={transfer} />;
    default:
      return null;
  }
}

/** The route, its rules with reasons and sources, the TIA result and the re-evaluations. */
export function EuCase({ tr }: { tr: Transfer }) {
  const { t, i18n } = useTranslation();
  const eu = tr.eu;
  const rules = (tr.route?.rules ?? []) as Rule[];
  return (
    <section aria-labelledby="eu-title" data-testid="eu-case">
      <h2 id="eu-title">{t('eu.case.title')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('transfer.route')}</dt>
          <dd data-testid="eu-route">
            {tr.route?.route ? t(`route.${tr.route.route}`, { defaultValue: tr.route.route }) : '—'}
          </dd>
        </div>
        <div>
          <dt>{t('eu.tiaRequired')}</dt>
          <dd>
            {eu?.tiaRequired === null || eu?.tiaRequired === undefined
              ? '—'
              : t(eu.tiaRequired ? 'apply.yes' : 'apply.no')}
          </dd>
        </div>
        <div>
          <dt>{t('eu.case.tia')}</dt>
          <dd data-testid="eu-tia">{eu?.tia ? t(`eu.tia.${eu.tia}`, { defaultValue: eu.tia }) : '—'}</dd>
        </div>
        <div>
          <dt>{t('eu.case.registerNumber')}</dt>
          <dd data-testid="register-number">{tr.registerNumber ?? '—'}</dd>
        </div>
        {eu?.activeSince && (
          <div>
            <dt>{t('eu.case.activeSince')}</dt>
            <dd>{formatInstant(eu.activeSince, i18n.language)}</dd>
          </div>
        )}
        {eu?.uses !== undefined && (
          <div>
            <dt>{t('eu.case.uses')}</dt>
            <dd>
              {eu.uses}
              {eu.lastUseOn ? ` (${eu.lastUseOn})` : ''}
            </dd>
          </div>
        )}
      </dl>
      <h3>{t('eu.case.rules')}</h3>
      <RuleList rules={rules} />
      {(tr.route?.needsInfo.length ?? 0) > 0 && (
        <>
          <h3>{t('apply.route.needsInfo')}</h3>
          <ul>
            {tr.route!.needsInfo.map((n) => (
              <li key={n.field}>
                <code>{n.field}</code>: {n.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('eu.case.reEvaluations')}</h3>
      {(eu?.reEvaluations.length ?? 0) === 0 ? (
        <p>{t('eu.case.noReEvaluations')}</p>
      ) : (
        <table className="deadlines" data-testid="re-evaluations">
          <thead>
            <tr>
              <th scope="col">{t('eu.case.opened')}</th>
              <th scope="col">{t('eu.case.trigger')}</th>
              <th scope="col">{t('eu.case.answer')}</th>
              <th scope="col">{t('eu.case.decision')}</th>
            </tr>
          </thead>
          <tbody>
            {eu!.reEvaluations.map((r, n) => (
              <tr key={`${r.openedAt}-${n}`}>
                <td>{formatInstant(r.openedAt, i18n.language)}</td>
                <td>
                  <strong>{t(`eu.trigger.${r.trigger}`)}</strong>: {r.reason}
                  {r.event ? ` (${r.event})` : ''}
                </td>
                <td>
                  {r.answeredAt
                    ? t('eu.case.answered', {
                        at: formatInstant(r.answeredAt, i18n.language),
                        by: r.answeredBy ?? '—',
                        route: r.route ? t(`route.${r.route}`, { defaultValue: r.route }) : '—',
                      })
                    : '—'}
                  {r.note ? ` — ${r.note}` : ''}
                </td>
                <td>
                  {r.decision
                    ? t('eu.case.decided', {
                        decision: t(`eu.reDecision.${r.decision}`),
                        at: formatInstant(r.decidedAt, i18n.language),
                        by: r.decidedBy ?? '—',
                      })
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type Result = 'pass' | 'concern' | 'fail';

/** The §9 checklist of the transfer's route, each item pass / concern / fail with a note; then the decision. */
function PrivacyReview({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const policy = useQuery({
    queryKey: ['policy', transfer.policy.id, transfer.policy.version],
    queryFn: () =>
      unwrap(
        api.GET('/v1/policy', {
          params: { query: { id: transfer.policy.id, version: transfer.policy.version } },
        }),
      ),
    staleTime: Infinity,
  });
  const route = transfer.route?.route ?? '';
  const all = ((policy.data as { reviewChecklist?: { route: string; item: string; text: string }[] })
    ?.reviewChecklist ?? []) as { route: string; item: string; text: string }[];
  const items = all.filter((c) => c.route === 'all' || c.route === route);
  const [results, setResults] = useState<Record<string, Result>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [decision, setDecision] = useState<'approve' | 'reject' | 'request_supplement' | ''>('');
  const [reason, setReason] = useState('');
  const [field, setField] = useState('');
  const [request, setRequest] = useState('');
  const checklist = items
    .filter((c) => results[c.item])
    .map((c) => ({ item: c.item, result: results[c.item]!, ...opt('note', notes[c.item] ?? '') }));
  return (
    <ActionForm
      id="privacy-review"
      title={t('case.action.privacy_review')}
      submit={t('eu.review.submit')}
      busy={busy}
      problem={problem}
      fields={['/decision', '/checklist', '/reason', '/items']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/privacy-review', {
              params: { path: { id } },
              headers,
              body: (decision === 'request_supplement'
                ? {
                    decision,
                    items: [{ request: request.trim(), ...opt('field', field) }],
                    ...opt('reason', reason),
                  }
                : {
                    decision,
                    ...(decision === 'approve' || checklist.length > 0 ? { checklist } : {}),
                    ...opt('reason', reason),
                  }) as BodyOf<'/v1/transfers/{id}/privacy-review'>,
            }),
          ),
        )
      }
    >
      <p className="hint">
        {t('eu.review.checklistOf', {
          route: route ? t(`route.${route}`, { defaultValue: route }) : '—',
        })}
      </p>
      {policy.isPending && <p role="status">{t('common.loading')}</p>}
      <ol className="checklist">
        {items.map((c, n) => (
          <li key={`${c.route}-${c.item}`} data-testid={`checklist-${c.item}`}>
            <RadioGroup<Result>
              label={t(`eu.checklist.${c.route}.${c.item}`, { defaultValue: c.text })}
              pointer={`/checklist/${n}`}
              value={results[c.item] ?? ''}
              onChange={(v) => setResults((r) => ({ ...r, [c.item]: v }))}
              options={(['pass', 'concern', 'fail'] as const).map((v) => ({
                value: v,
                label: t(`review.${v}`),
              }))}
            />
            {results[c.item] && results[c.item] !== 'pass' && (
              <TextField
                label={t('eu.review.note', {
                  item: t(`eu.checklist.${c.route}.${c.item}`, { defaultValue: c.text }),
                })}
                pointer={`/checklist/${n}/note`}
                value={notes[c.item] ?? ''}
                onChange={(v) => setNotes((x) => ({ ...x, [c.item]: v }))}
                multiline
                required
              />
            )}
          </li>
        ))}
      </ol>
      <RadioGroup
        label={t('actions.decision')}
        pointer="/decision"
        value={decision}
        onChange={setDecision}
        options={[
          { value: 'approve', label: t('eu.review.approve') },
          { value: 'reject', label: t('eu.review.reject') },
          { value: 'request_supplement', label: t('decision.request_supplement') },
        ]}
      />
      {decision === 'request_supplement' && (
        <>
          <TextField
            label={t('eu.review.field')}
            pointer="/items/0/field"
            value={field}
            onChange={setField}
          />
          <TextField
            label={t('eu.review.request')}
            pointer="/items/0/request"
            value={request}
            onChange={setRequest}
            multiline
          />
        </>
      )}
      <TextField
        label={decision === 'reject' ? t('eu.review.rejectReason') : t('actions.reason')}
        pointer="/reason"
        value={reason}
        onChange={setReason}
        multiline
        required={decision === 'reject'}
      />
    </ActionForm>
  );
}

/** Confirm (active again), suspend (Clause 16) or end, with a reason (required for suspend and end). */
function ReEvaluationDecision({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [decision, setDecision] = useState<'confirm' | 'suspend' | 'end' | ''>('');
  const [reason, setReason] = useState('');
  return (
    <ActionForm
      id="re-evaluation-decision"
      title={t('case.action.re_evaluation_decision')}
      submit={t('eu.reDecision.submit')}
      busy={busy}
      problem={problem}
      fields={['/decision', '/reason']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/re-evaluation-decision', {
              params: { path: { id } },
              headers,
              body: {
                decision,
                ...opt('reason', reason),
              } as BodyOf<'/v1/transfers/{id}/re-evaluation-decision'>,
            }),
          ),
        )
      }
    >
      <RadioGroup
        label={t('actions.decision')}
        pointer="/decision"
        value={decision}
        onChange={setDecision}
        options={(['confirm', 'suspend', 'end'] as const).map((v) => ({
          value: v,
          label: t(`eu.reDecision.${v}`),
        }))}
      />
      <TextField
        label={t('actions.reason')}
        pointer="/reason"
        value={reason}
        onChange={setReason}
        multiline
        required={decision === 'suspend' || decision === 'end'}
      />
    </ActionForm>
  );
}

type Tia = NonNullable<NonNullable<Facts>['tia']>;
type Dpf = NonNullable<NonNullable<NonNullable<Facts['importer']>['scopeFacts']>['dpf']>;

/** The transfer's current facts (as applied, or as last answered). */
function currentFacts(tr: Transfer): Facts {
  return (tr.application as { facts?: Facts }).facts ?? {};
}

/** Answer a re-evaluation: the current facts with the TIA and the DPF status as they are now. */
function ReEvaluate({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const facts = currentFacts(transfer);
  const tia = facts.tia ?? {};
  const dpf = facts.importer?.scopeFacts?.dpf;
  const [outcome, setOutcome] = useState<string>(tia.outcome ?? '');
  const [date, setDate] = useState(tia.date ?? '');
  const [dpfStatus, setDpfStatus] = useState<string>(dpf?.status ?? '');
  const [note, setNote] = useState('');
  const next = (): Facts => {
    const out: Facts = { ...facts };
    if (outcome || date)
      out.tia = {
        ...tia,
        done: true,
        ...(date ? { date } : {}),
        ...(outcome ? { outcome: outcome as Tia['outcome'] } : {}),
      };
    if (dpf || dpfStatus)
      out.importer = {
        ...facts.importer,
        scopeFacts: {
          ...facts.importer?.scopeFacts,
          dpf: { ...dpf, ...(dpfStatus ? { status: dpfStatus as Dpf['status'] } : {}) },
        },
      };
    return out;
  };
  return (
    <ActionForm
      id="re-evaluate"
      title={t('case.action.re_evaluate')}
      submit={t('eu.reEvaluate.submit')}
      busy={busy}
      problem={problem}
      fields={['/facts', '/note']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/re-evaluate', {
              params: { path: { id } },
              headers,
              body: { facts: next(), ...opt('note', note) },
            }),
          ),
        )
      }
    >
      <p className="hint">{t('eu.reEvaluate.hint')}</p>
      <SelectField
        label={t('eu.form.tiaOutcome')}
        pointer="/facts/tia/outcome"
        value={outcome}
        onChange={setOutcome}
        options={[
          { value: '', label: t('eu.form.unknown') },
          ...['effective', 'effective_with_measures', 'not_effective'].map((v) => ({
            value: v,
            label: t(`eu.tia.${v}`),
          })),
        ]}
      />
      <TextField
        label={t('eu.form.tiaDate')}
        type="date"
        pointer="/facts/tia/date"
        value={date}
        onChange={setDate}
      />
      <SelectField
        label={t('eu.form.dpfStatus')}
        pointer="/facts/importer/scopeFacts/dpf/status"
        value={dpfStatus}
        onChange={setDpfStatus}
        options={[
          { value: '', label: t('eu.form.unknown') },
          ...['active', 'active_recertification_under_review', 'inactive', 'removed', 'not_listed'].map(
            (v) => ({ value: v, label: t(`eu.dpf.${v}`) }),
          ),
        ]}
      />
      <TextField label={t('eu.reEvaluate.note')} pointer="/note" value={note} onChange={setNote} multiline />
    </ActionForm>
  );
}

/** Report a use of a derogation-based transfer (a use no longer occasional opens a re-evaluation). */
function ReportUse({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [on, setOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [frequency, setFrequency] = useState<'occasional' | 'repetitive' | 'systematic'>('occasional');
  const [note, setNote] = useState('');
  return (
    <ActionForm
      id="report-use"
      title={t('case.action.report_use')}
      submit={t('eu.reportUse.submit')}
      busy={busy}
      problem={problem}
      fields={['/on', '/frequency', '/note']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/report-use', {
              params: { path: { id } },
              headers,
              body: { on, frequency, ...opt('note', note) },
            }),
          ),
        )
      }
    >
      <TextField label={t('eu.reportUse.on')} type="date" pointer="/on" value={on} onChange={setOn} />
      <SelectField
        label={t('eu.form.frequency')}
        pointer="/frequency"
        value={frequency}
        onChange={setFrequency}
        options={(['occasional', 'repetitive', 'systematic'] as const).map((v) => ({
          value: v,
          label: t(`eu.frequency.${v}`),
        }))}
      />
      <TextField label={t('eu.reEvaluate.note')} pointer="/note" value={note} onChange={setNote} multiline />
    </ActionForm>
  );
}

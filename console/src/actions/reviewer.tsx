/**
 * A reviewer's supervision and second-look forms: supervisory measures (warning, interview, rectification order,
 * fine, suspend, resume, revoke), the decisions on a rectification answer, a reported change, an extension
 * request and a re-review, and extending the review period with a reason the applicant sees.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type BodyOf, type Transfer } from '../api/client';
import { RadioGroup, SelectField, TextField } from '../components/form';
import { todayInShanghai } from '../format';
import { ActionForm, ApprovalDecision, useAction } from './forms';

const kinds = ['warning', 'interview', 'rectification_order', 'fine', 'suspend', 'resume', 'revoke'] as const;
type Kind = (typeof kinds)[number];

/** YYYY-MM-DD n days after today in Asia/Shanghai. */
const daysAfterToday = (n: number) =>
  new Date(Date.parse(`${todayInShanghai()}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export function Supervise({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [kind, setKind] = useState<Kind>('warning');
  const [reason, setReason] = useState('');
  const [deadline, setDeadline] = useState(() => daysAfterToday(30));
  const [scheduledAt, setScheduledAt] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('CNY');
  return (
    <ActionForm
      id="supervise"
      title={t('case.action.supervise')}
      submit={t('case.supervise.submit')}
      busy={busy}
      problem={problem}
      fields={['/kind', '/reason', '/deadline', '/scheduledAt', '/amount']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/supervise', {
              params: { path: { id } },
              headers,
              body: {
                kind,
                reason,
                ...(kind === 'rectification_order' ? { deadline } : {}),
                // a local date-time in Asia/Shanghai, sent as an instant
                ...(kind === 'interview' && scheduledAt ? { scheduledAt: `${scheduledAt}:00+08:00` } : {}),
                ...(kind === 'fine' ? { amount: { amount: Number(amount), currency: currency.trim() } } : {}),
              } as BodyOf<'/v1/transfers/{id}/supervise'>,
            }),
          ),
        )
      }
    >
      <SelectField
        label={t('case.supervise.kind')}
        pointer="/kind"
        value={kind}
        onChange={setKind}
        options={kinds.map((k) => ({ value: k, label: t(`case.supervise.kinds.${k}`) }))}
      />
      <p className="hint">{t(`case.supervise.explain.${kind}`)}</p>
      {kind === 'rectification_order' && (
        <TextField
          label={t('case.supervise.deadline')}
          hint={t('case.supervise.deadlineHint')}
          type="date"
          pointer="/deadline"
          value={deadline}
          onChange={setDeadline}
          required
        />
      )}
      {kind === 'interview' && (
        <TextField
          label={t('case.supervise.scheduledAt')}
          hint={t('case.supervise.scheduledAtHint')}
          type="datetime-local"
          pointer="/scheduledAt"
          value={scheduledAt}
          onChange={setScheduledAt}
          required
        />
      )}
      {kind === 'fine' && (
        <>
          <TextField
            label={t('case.supervise.amount')}
            type="number"
            pointer="/amount/amount"
            value={amount}
            onChange={setAmount}
            required
          />
          <TextField
            label={t('case.supervise.currency')}
            pointer="/amount/currency"
            value={currency}
            onChange={setCurrency}
            required
          />
        </>
      )}
      <TextField
        label={t('actions.reason')}
        hint={t('case.supervise.reasonHint')}
        pointer="/reason"
        value={reason}
        onChange={setReason}
        multiline
        required
      />
    </ActionForm>
  );
}

/** A decision with a mandatory reason: the shape of the rectification, change and extension decisions. */
type Post = (
  id: string,
  headers: { 'Idempotency-Key': string },
  body: { decision: string; reason: string },
) => Promise<Transfer>;

const posts: Record<'rectification-decision' | 'change-decision' | 'extension-decision', Post> = {
  'rectification-decision': (id, headers, body) =>
    unwrap(
      api.POST('/v1/transfers/{id}/rectification-decision', {
        params: { path: { id } },
        headers,
        body: body as { decision: 'accept'; reason: string },
      }),
    ),
  'change-decision': (id, headers, body) =>
    unwrap(
      api.POST('/v1/transfers/{id}/change-decision', {
        params: { path: { id } },
        headers,
        body: body as { decision: 'accept'; reason: string },
      }),
    ),
  'extension-decision': (id, headers, body) =>
    unwrap(
      api.POST('/v1/transfers/{id}/extension-decision', {
        params: { path: { id } },
        headers,
        body: body as { decision: 'approve'; reason: string },
      }),
    ),
};

function DecisionWithReason<D extends string>(props: {
  transfer: Transfer;
  id: string;
  action: keyof typeof posts;
  options: D[];
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(props.transfer);
  const [decision, setDecision] = useState<D | ''>('');
  const [reason, setReason] = useState('');
  const key = props.action.replace(/-/g, '_');
  return (
    <ActionForm
      id={props.id}
      title={t(`case.action.${key}`)}
      submit={t('case.decide.submit')}
      busy={busy}
      problem={problem}
      fields={['/decision', '/reason']}
      onSubmit={() => run(({ id, headers }) => posts[props.action](id, headers, { decision, reason }))}
    >
      {props.children}
      <RadioGroup
        label={t('actions.decision')}
        pointer="/decision"
        value={decision}
        onChange={setDecision}
        options={props.options.map((o) => ({ value: o, label: t(`case.outcome.${o}`) }))}
      />
      <TextField
        label={t('actions.reason')}
        pointer="/reason"
        value={reason}
        onChange={setReason}
        multiline
        required
      />
    </ActionForm>
  );
}

export function RectificationDecision({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const rect = (
    transfer.supervision as { rectification?: { responses?: { at: string; text: string }[] } } | null
  )?.rectification;
  const last = rect?.responses?.at(-1);
  return (
    <DecisionWithReason
      transfer={transfer}
      id="rectification-decision"
      action="rectification-decision"
      options={['accept', 'reject']}
    >
      {last && <blockquote>{t('case.rectification.answer', { text: last.text })}</blockquote>}
    </DecisionWithReason>
  );
}

export function ChangeDecision({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const change = transfer.change as { changes?: { kind: string; description: string }[] } | null;
  return (
    <DecisionWithReason
      transfer={transfer}
      id="change-decision"
      action="change-decision"
      options={['accept', 'require_new_application', 'suspend']}
    >
      {change?.changes && (
        <ul>
          {change.changes.map((c, i) => (
            <li key={i}>
              <code>{c.kind}</code>: {c.description}
            </li>
          ))}
        </ul>
      )}
      <p className="hint">{t('case.change.hint')}</p>
    </DecisionWithReason>
  );
}

export function ExtensionDecision({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const ext = transfer.extension as { eligibility?: { eligible: boolean; reasons: string[] } } | null;
  const eligibility = ext?.eligibility;
  return (
    <DecisionWithReason
      transfer={transfer}
      id="extension-decision"
      action="extension-decision"
      options={['approve', 'deny']}
    >
      {eligibility && (
        <p>
          {eligibility.eligible
            ? t('case.extension.eligible')
            : t('case.extension.notEligible', { reasons: eligibility.reasons.join('; ') })}
        </p>
      )}
    </DecisionWithReason>
  );
}

export function ReReviewDecision({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  return (
    <ApprovalDecision
      transfer={transfer}
      id="re-review"
      path="/v1/transfers/{id}/re-review-decision"
      title={t('action.re_review_decision')}
      submit={t('case.decide.submit')}
      refusal={{ value: 'reject', label: t('case.outcome.reject') }}
      reasonRequired
    />
  );
}

export function ExtendReview({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [workingDays, setWorkingDays] = useState('10');
  const [reason, setReason] = useState('');
  return (
    <ActionForm
      id="extend-review"
      title={t('case.action.extend_review')}
      submit={t('case.extendReview.submit')}
      busy={busy}
      problem={problem}
      fields={['/workingDays', '/reason']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/extend-review', {
              params: { path: { id } },
              headers,
              body: { workingDays: Number(workingDays), reason },
            }),
          ),
        )
      }
    >
      <TextField
        label={t('case.extendReview.workingDays')}
        type="number"
        pointer="/workingDays"
        value={workingDays}
        onChange={setWorkingDays}
        required
      />
      <TextField
        label={t('actions.reason')}
        hint={t('case.extendReview.reasonHint')}
        pointer="/reason"
        value={reason}
        onChange={setReason}
        multiline
        required
      />
    </ActionForm>
  );
}

/**
 * The forms for what the caller may do now, one per action the transfer awaits from the caller's role. Each
 * posts through the typed client with an Idempotency-Key (kept until the action succeeds, so a retry after a
 * lost answer is not a second decision) and shows a refusal at the fields its pointers name.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ProblemError, unwrap, uploadDocument, type BodyOf, type Transfer } from '../api/client';
import {
  FileField,
  ProblemProvider,
  ProblemSummary,
  RadioGroup,
  SelectField,
  TextField,
} from '../components/form';
import { todayInShanghai } from '../format';
import { DocumentButtons } from '../components/Document';
import { materialKinds, type MaterialKind } from '../apply/model';
import { useReportRefusal } from './refusal';
import { AcknowledgeConditions } from './recipient';
import {
  ChangeDecision,
  ExtendReview,
  ExtensionDecision,
  RectificationDecision,
  ReReviewDecision,
  Supervise,
} from './reviewer';

export const supportedActions: readonly string[] = [
  'completeness',
  'review',
  'risk_decision',
  'sign',
  'countersign',
  'file',
  'filing_decision',
  'acknowledge_conditions',
  'supervise',
  'rectification_decision',
  'change_decision',
  'extension_decision',
  're_review_decision',
  'extend_review',
];

export function ActionFor({ action, transfer }: { action: string; transfer: Transfer }) {
  switch (action) {
    case 'completeness':
      return <Completeness transfer={transfer} />;
    case 'review':
      return <Review transfer={transfer} />;
    case 'risk_decision':
      return <RiskDecision transfer={transfer} />;
    case 'sign':
      return <Sign transfer={transfer} />;
    case 'countersign':
      return <Countersign transfer={transfer} />;
    case 'file':
      return <File transfer={transfer} />;
    case 'filing_decision':
      return <FilingDecision transfer={transfer} />;
    case 'acknowledge_conditions':
      return <AcknowledgeConditions transfer={transfer} />;
    case 'supervise':
      return <Supervise transfer={transfer} />;
    case 'rectification_decision':
      return <RectificationDecision transfer={transfer} />;
    case 'change_decision':
      return <ChangeDecision transfer={transfer} />;
    case 'extension_decision':
      return <ExtensionDecision transfer={transfer} />;
    case 're_review_decision':
      return <ReReviewDecision transfer={transfer} />;
    case 'extend_review':
      return <ExtendReview transfer={transfer} />;
    default:
      return null;
  }
}

export type Send = (ctx: { id: string; headers: { 'Idempotency-Key': string } }) => Promise<Transfer>;

export function useAction(transfer: Transfer) {
  const queries = useQueryClient();
  const reportRefusal = useReportRefusal();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const mutation = useMutation({
    mutationFn: (send: Send) => send({ id: transfer.id, headers: { 'Idempotency-Key': key } }),
    onMutate: () => reportRefusal(undefined),
    onError: (err) => {
      if (!(err instanceof ProblemError)) return;
      // a refusal is final for that body: a corrected one is a new attempt (the old key is bound to the old body)
      if (err.problem.status >= 400 && err.problem.status < 500) setKey(crypto.randomUUID());
      // the transfer moved on (wrong phase, decided already): the case page says what it awaits now
      if (err.problem.status === 409) {
        reportRefusal(err.problem);
        void queries.invalidateQueries({ queryKey: ['transfer', transfer.id] });
      }
    },
    onSuccess: (next) => {
      setKey(crypto.randomUUID());
      queries.setQueryData(['transfer', transfer.id], next);
      void queries.invalidateQueries({ queryKey: ['history', transfer.id] });
      void queries.invalidateQueries({ queryKey: ['inbox'] });
    },
  });
  const problem = mutation.error instanceof ProblemError ? mutation.error.problem : undefined;
  return { run: (send: Send) => mutation.mutate(send), busy: mutation.isPending, problem };
}

export function ActionForm(props: {
  id: string;
  title: string;
  submit: string;
  busy: boolean;
  problem: ReturnType<typeof useAction>['problem'];
  fields: string[];
  onSubmit: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit();
  };
  return (
    <form className="card action" aria-labelledby={`${props.id}-title`} onSubmit={onSubmit} noValidate>
      <h3 id={`${props.id}-title`}>{props.title}</h3>
      <ProblemProvider problem={props.problem}>
        <ProblemSummary problem={props.problem} fields={props.fields} />
        {props.children}
      </ProblemProvider>
      <button type="submit" disabled={props.busy}>
        {props.busy ? t('common.sending') : props.submit}
      </button>
    </form>
  );
}

/** Optional text: omitted when blank. */
export const opt = <K extends string>(k: K, v: string) =>
  v.trim() ? ({ [k]: v.trim() } as Record<K, string>) : {};

/** One item of a supplementation request: about a material or a field of the application, and what to supply. */
interface RequestItem {
  material: MaterialKind | '';
  field: string;
  request: string;
}
const emptyItem = (): RequestItem => ({ material: '', field: '', request: '' });

/** The applicant's answers to the earlier supplementation rounds, item by item, for the reviewer deciding again. */
function SupplementAnswers({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const rounds = transfer.supplementRequests.filter((r) => r.items.some((i) => i.response));
  if (rounds.length === 0) return null;
  return (
    <div className="supplement-answers">
      <h4>{t('actions.answers.title')}</h4>
      {rounds.map((r) => (
        <ol key={r.round} aria-label={t('actions.answers.round', { round: r.round })}>
          {r.items.map((i) => {
            const about = i.material
              ? t(`apply.material.${i.material}`, { defaultValue: i.material })
              : i.field;
            return (
              <li key={i.itemId}>
                <p>
                  <strong>{t('apply.supplement.item', { id: i.itemId })}</strong>
                  {about ? ` — ${about}` : ''}: {i.request}
                </p>
                <p>
                  {i.response?.text
                    ? t('actions.answers.text', { text: i.response.text })
                    : t('actions.answers.noText')}
                </p>
                {i.response?.documentId && (
                  <p>
                    {t('actions.answers.document')}{' '}
                    <DocumentButtons
                      id={i.response.documentId}
                      name={`supplement-${i.itemId}`}
                      label={t('actions.answers.documentLabel', { id: i.itemId })}
                    />
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      ))}
    </div>
  );
}

function Completeness({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [decision, setDecision] = useState<'accept' | 'request_supplement' | 'refuse' | ''>('');
  const [items, setItems] = useState<RequestItem[]>(() => [emptyItem()]);
  const [reason, setReason] = useState('');
  const update = (n: number, patch: Partial<RequestItem>) =>
    setItems((xs) => xs.map((x, i) => (i === n ? { ...x, ...patch } : x)));
  return (
    <ActionForm
      id="completeness"
      title={t('action.completeness')}
      submit={t('actions.completeness.submit')}
      busy={busy}
      problem={problem}
      fields={['/decision', '/items', '/reason']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/completeness', {
              params: { path: { id } },
              headers,
              body: {
                decision: decision as 'accept',
                ...(decision === 'request_supplement'
                  ? {
                      items: items.map((x) =>
                        x.material
                          ? { material: x.material, request: x.request.trim() }
                          : { request: x.request.trim(), ...opt('field', x.field) },
                      ) as { field: string; request: string }[],
                    }
                  : {}),
                ...opt('reason', reason),
              },
            }),
          ),
        )
      }
    >
      <SupplementAnswers transfer={transfer} />
      <RadioGroup
        label={t('actions.decision')}
        pointer="/decision"
        value={decision}
        onChange={setDecision}
        options={[
          { value: 'accept', label: t('decision.accept') },
          { value: 'request_supplement', label: t('decision.request_supplement') },
          { value: 'refuse', label: t('decision.refuse') },
        ]}
      />
      {decision === 'request_supplement' && (
        <>
          {items.map((x, n) => (
            <fieldset key={n} className="row-group">
              <legend>{t('actions.item.legend', { n: n + 1 })}</legend>
              <SelectField<MaterialKind | ''>
                label={t('actions.item.material', { n: n + 1 })}
                pointer={`/items/${n}/material`}
                value={x.material}
                onChange={(v) => update(n, { material: v })}
                options={[
                  { value: '', label: t('actions.item.noMaterial') },
                  ...materialKinds.map((k) => ({ value: k, label: t(`apply.material.${k}`) })),
                ]}
              />
              {!x.material && (
                <TextField
                  label={t('actions.item.field', { n: n + 1 })}
                  pointer={`/items/${n}/field`}
                  value={x.field}
                  onChange={(v) => update(n, { field: v })}
                />
              )}
              <TextField
                label={t('actions.item.request', { n: n + 1 })}
                pointer={`/items/${n}/request`}
                value={x.request}
                onChange={(v) => update(n, { request: v })}
                multiline
              />
              {items.length > 1 && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setItems((xs) => xs.filter((_, i) => i !== n))}
                >
                  {t('actions.item.remove', { n: n + 1 })}
                </button>
              )}
            </fieldset>
          ))}
          <button type="button" className="secondary" onClick={() => setItems((xs) => [...xs, emptyItem()])}>
            {t('actions.item.add')}
          </button>
        </>
      )}
      <TextField
        label={t('actions.reason')}
        pointer="/reason"
        value={reason}
        onChange={setReason}
        multiline
      />
    </ActionForm>
  );
}

type Result = 'pass' | 'concern' | 'fail';

function Review({ transfer }: { transfer: Transfer }) {
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
  const items = policy.data?.reviewChecklist ?? [];
  const [results, setResults] = useState<Record<string, Result>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [decision, setDecision] = useState<'complete' | 'request_supplement'>('complete');
  const [request, setRequest] = useState('');
  const [field, setField] = useState('');
  return (
    <ActionForm
      id="review"
      title={t('action.review')}
      submit={t('actions.review.submit')}
      busy={busy}
      problem={problem}
      fields={['/checklist', '/decision', '/items']}
      onSubmit={() =>
        run(({ id, headers }) => {
          // every item is assessed, in the pack's order, so a field error's index names the item on screen
          const unassessed = items.flatMap((i, n) =>
            results[i.item] ? [] : [{ pointer: `/checklist/${n}/result`, detail: t('case.review.assess') }],
          );
          if (decision === 'complete' && unassessed.length > 0)
            throw new ProblemError({
              type: 'urn:xborder:problem:validation',
              title: '',
              status: 400,
              detail: t('case.review.assessAll'),
              instance: '',
              errors: unassessed,
            });
          return unwrap(
            api.POST('/v1/transfers/{id}/review', {
              params: { path: { id } },
              headers,
              // the items come from the policy pack as strings, and a concern without a note is the server's to
              // refuse (at /checklist/<n>/note): sent as the reviewer gave them
              body: {
                decision,
                checklist: items
                  .filter((i) => results[i.item])
                  .map((i) => ({
                    item: i.item,
                    result: results[i.item]!,
                    ...opt('note', notes[i.item] ?? ''),
                  })),
                ...(decision === 'request_supplement'
                  ? { items: [{ request: request.trim(), ...opt('field', field) }] }
                  : {}),
              } as BodyOf<'/v1/transfers/{id}/review'>,
            }),
          );
        })
      }
    >
      <p className="hint">{t('case.review.hint')}</p>
      {items.map((i, n) => (
        <div key={i.item} className="checklist-item">
          <RadioGroup
            label={i.text}
            pointer={`/checklist/${n}/result`}
            value={results[i.item] ?? ''}
            onChange={(v) => setResults((r) => ({ ...r, [i.item]: v }))}
            options={[
              { value: 'pass', label: t('review.pass') },
              { value: 'concern', label: t('review.concern') },
              { value: 'fail', label: t('review.fail') },
            ]}
          />
          <TextField
            label={t('case.review.note', { item: i.text })}
            pointer={`/checklist/${n}/note`}
            value={notes[i.item] ?? ''}
            onChange={(v) => setNotes((x) => ({ ...x, [i.item]: v }))}
            required={results[i.item] === 'concern' || results[i.item] === 'fail'}
          />
        </div>
      ))}
      <SelectField
        label={t('review.outcome')}
        pointer="/decision"
        value={decision}
        onChange={setDecision}
        options={[
          { value: 'complete', label: t('decision.complete') },
          { value: 'request_supplement', label: t('decision.request_supplement') },
        ]}
      />
      {decision === 'request_supplement' && (
        <>
          <TextField
            label={t('actions.itemField')}
            pointer="/items/0/field"
            value={field}
            onChange={setField}
          />
          <TextField
            label={t('actions.itemRequest')}
            pointer="/items/0/request"
            value={request}
            onChange={setRequest}
            multiline
          />
        </>
      )}
    </ActionForm>
  );
}

function RiskDecision({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  return (
    <ApprovalDecision
      transfer={transfer}
      id="risk"
      path="/v1/transfers/{id}/risk-decision"
      title={t('action.risk_decision')}
      submit={t('actions.risk.submit')}
      refusal={{ value: 'not_passed', label: t('decision.not_passed') }}
    />
  );
}

type ApprovalPath = '/v1/transfers/{id}/risk-decision' | '/v1/transfers/{id}/re-review-decision';

/**
 * An approval decision — the risk decision and the re-review's: approve, approve with conditions (one per line),
 * or the refusal this decision has (not passed, reject), with a reason (required where the server requires one).
 */
export function ApprovalDecision(props: {
  transfer: Transfer;
  id: string;
  path: ApprovalPath;
  title: string;
  submit: string;
  refusal: { value: 'not_passed' | 'reject'; label: string };
  reasonRequired?: boolean;
}) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(props.transfer);
  const [decision, setDecision] = useState('');
  const [conditions, setConditions] = useState('');
  const [reason, setReason] = useState('');
  const lines = conditions
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    <ActionForm
      id={props.id}
      title={props.title}
      submit={props.submit}
      busy={busy}
      problem={problem}
      fields={['/decision', '/conditions', '/reason']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST(props.path, {
              params: { path: { id } },
              headers,
              // sent as the reviewer gave it (no decision yet is the server's to refuse, at /decision)
              body: {
                decision,
                ...(decision === 'approve_with_conditions' ? { conditions: lines } : {}),
                ...(props.reasonRequired ? { reason } : opt('reason', reason)),
              } as BodyOf<ApprovalPath>,
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
        options={[
          { value: 'approve', label: t('decision.approve') },
          { value: 'approve_with_conditions', label: t('decision.approve_with_conditions') },
          props.refusal,
        ]}
      />
      {decision === 'approve_with_conditions' && (
        <TextField
          label={t('actions.conditions')}
          hint={t('actions.conditionsHint')}
          pointer="/conditions"
          value={conditions}
          onChange={setConditions}
          multiline
        />
      )}
      <TextField
        label={t('actions.reason')}
        pointer="/reason"
        value={reason}
        onChange={setReason}
        multiline
        {...(props.reasonRequired ? { required: true } : {})}
      />
    </ActionForm>
  );
}

function Sign({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [file, setFile] = useState<globalThis.File>();
  const [signerName, setSignerName] = useState('');
  const [signerTitle, setSignerTitle] = useState('');
  // the day as the pack counts it: eu-gdpr's calendar is UTC days, cn-2024's Asia/Shanghai
  const [signedAt, setSignedAt] = useState(() =>
    transfer.policy.id === 'eu-gdpr' ? new Date().toISOString().slice(0, 10) : todayInShanghai(),
  );
  return (
    <ActionForm
      id="sign"
      title={t('action.sign')}
      submit={t('actions.sign.submit')}
      busy={busy}
      problem={problem}
      fields={['/documentId', '/signerName', '/signerTitle', '/signedAt']}
      onSubmit={() =>
        run(async ({ id, headers }) => {
          if (!file)
            throw new ProblemError({
              type: 'urn:xborder:problem:validation',
              title: '',
              status: 400,
              detail: t('actions.sign.noFile'),
              instance: '',
              errors: [{ pointer: '/documentId', detail: t('actions.sign.noFile') }],
            });
          let documentId: string;
          try {
            documentId = await uploadDocument(file);
          } catch (err) {
            // the upload's refusal (type, size) belongs to the file field
            if (err instanceof ProblemError)
              throw new ProblemError({
                ...err.problem,
                errors: [{ pointer: '/documentId', detail: err.problem.detail }],
              });
            throw err;
          }
          return unwrap(
            api.POST('/v1/transfers/{id}/sign', {
              params: { path: { id } },
              headers,
              body: { documentId, signerName, signerTitle, signedAt },
            }),
          );
        })
      }
    >
      <FileField
        label={t('actions.sign.file')}
        pointer="/documentId"
        accept="application/pdf,image/png,image/jpeg,text/plain"
        onChange={setFile}
        required
      />
      <TextField
        label={t('actions.sign.name')}
        pointer="/signerName"
        value={signerName}
        onChange={setSignerName}
        required
      />
      <TextField
        label={t('actions.sign.title')}
        pointer="/signerTitle"
        value={signerTitle}
        onChange={setSignerTitle}
        required
      />
      <TextField
        label={t('actions.sign.date')}
        type="date"
        pointer="/signedAt"
        value={signedAt}
        onChange={setSignedAt}
        required
      />
    </ActionForm>
  );
}

function Countersign({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  return (
    <ConfirmAction
      transfer={transfer}
      id="countersign"
      path="/v1/transfers/{id}/countersign"
      title={t('action.countersign')}
      submit={t('actions.countersign.submit')}
    >
      <p>
        {t('actions.countersign.text', {
          signer: transfer.agreement?.signer ?? '—',
          date: transfer.agreement?.signedAt ?? '—',
        })}
      </p>
    </ConfirmAction>
  );
}

/** An action whose body is empty (submit a draft, countersign, acknowledge conditions): what it means, and one button. */
export function ConfirmAction(props: {
  transfer: Transfer;
  id: string;
  path:
    | '/v1/transfers/{id}/submit'
    | '/v1/transfers/{id}/countersign'
    | '/v1/transfers/{id}/acknowledge-conditions';
  title: string;
  submit: string;
  children?: ReactNode;
}) {
  const { run, busy, problem } = useAction(props.transfer);
  return (
    <ActionForm
      id={props.id}
      title={props.title}
      submit={props.submit}
      busy={busy}
      problem={problem}
      fields={[]}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(api.POST(props.path, { params: { path: { id } }, headers, body: {} })),
        )
      }
    >
      {props.children}
    </ActionForm>
  );
}

function File({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [effectiveDate, setEffectiveDate] = useState(todayInShanghai);
  return (
    <ActionForm
      id="file"
      title={t('action.file')}
      submit={t('actions.file.submit')}
      busy={busy}
      problem={problem}
      fields={['/effectiveDate']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/file', {
              params: { path: { id } },
              headers,
              body: { effectiveDate },
            }),
          ),
        )
      }
    >
      <TextField
        label={t('actions.file.date')}
        type="date"
        pointer="/effectiveDate"
        value={effectiveDate}
        onChange={setEffectiveDate}
        required
      />
    </ActionForm>
  );
}

function FilingDecision({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [decision, setDecision] = useState<'accept' | 'return' | ''>('');
  const [reason, setReason] = useState('');
  return (
    <ActionForm
      id="filing"
      title={t('action.filing_decision')}
      submit={t('actions.filing.submit')}
      busy={busy}
      problem={problem}
      fields={['/decision', '/reason']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/filing-decision', {
              params: { path: { id } },
              headers,
              body: { decision: decision as 'accept', ...opt('reason', reason) },
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
        options={[
          { value: 'accept', label: t('decision.accept') },
          { value: 'return', label: t('decision.return') },
        ]}
      />
      <TextField
        label={t('actions.reason')}
        pointer="/reason"
        value={reason}
        onChange={setReason}
        multiline
      />
    </ActionForm>
  );
}

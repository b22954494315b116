/**
 * The applicant's forms on a transfer. Those the transfer awaits from the applicant (`awaiting`: submit a
 * draft, answer a supplementation request item by item, request a re-review, the period's report, respond to a
 * rectification order, confirm an exemption) and those the phase allows at any time (withdraw before approval;
 * an incident, a change, an extension request under supervision). Countersign and file are in ./forms.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type BodyOf, type Transfer } from '../api/client';
import { RadioGroup, SelectField, TextField } from '../components/form';
import { DropZone, type Uploaded } from '../components/upload';
import { Link } from '../router';
import { formatInstant, ZONE } from '../format';
import { ActionForm, ConfirmAction, opt, useAction } from './forms';

/** Awaited actions (API.md spelling with underscores, as Transfer.tsx compares them) this file has forms for. */
export const applicantActions: readonly string[] = [
  'submit',
  'supplement',
  'request_re_review',
  'report',
  'respond_rectification',
  'confirm_exemption',
];

export function ApplicantAction({ action, transfer }: { action: string; transfer: Transfer }) {
  switch (action) {
    case 'submit':
      return <SubmitDraft transfer={transfer} />;
    case 'supplement':
      return <Supplement transfer={transfer} />;
    case 'request_re_review':
      return <ReasonAction transfer={transfer} kind="re-review" />;
    case 'report':
      return <Report transfer={transfer} />;
    case 'respond_rectification':
      return <RespondRectification transfer={transfer} />;
    case 'confirm_exemption':
      return <ConfirmExemption transfer={transfer} />;
    default:
      return null;
  }
}

/** Statuses before approval (the lifecycle's order up to `active`), in which the applicant may withdraw. */
const beforeApproval = [
  'draft',
  'completeness_check',
  'awaiting_supplement',
  'under_review',
  'risk_assessment',
  'not_passed',
  're_review',
  'awaiting_signature',
  'filing_review',
  'filing_returned',
  'exempt',
];
const supervised = ['active', 'change_review', 'rectification_ordered', 'suspended', 'extension_requested'];

/** What the applicant may do in this phase without being awaited: each behind a disclosure. */
export function ApplicantMore({ transfer, withdrawOnly }: { transfer: Transfer; withdrawOnly?: boolean }) {
  const { t } = useTranslation();
  const s = transfer.status;
  const windowOpen =
    transfer.validity !== null && Date.parse(transfer.validity.extensionWindowOpensAt) <= Date.now();
  const forms: { key: string; node: ReactNode }[] = [];
  const candidates = [
    beforeApproval.includes(s) && {
      key: 'withdraw',
      node: <ReasonAction transfer={transfer} kind="withdraw" />,
    },
    supervised.includes(s) && { key: 'incident', node: <ReportIncident transfer={transfer} /> },
    s === 'active' && { key: 'change', node: <ReportChange transfer={transfer} /> },
    s === 'active' && windowOpen && { key: 'extension', node: <RequestExtension transfer={transfer} /> },
  ];
  for (const c of candidates) if (c && (!withdrawOnly || c.key === 'withdraw')) forms.push(c);
  if (forms.length === 0) return null;
  return (
    <div className="more-actions">
      <h3>{t('apply.more.title')}</h3>
      {!withdrawOnly && s === 'active' && !windowOpen && transfer.validity && (
        <p className="hint">
          {t('apply.extension.opensAt', {
            at: formatInstant(transfer.validity.extensionWindowOpensAt, document.documentElement.lang),
          })}
        </p>
      )}
      {forms.map((f) => (
        <details key={f.key}>
          <summary>{t(`apply.more.${f.key}`)}</summary>
          {f.node}
        </details>
      ))}
    </div>
  );
}

function SubmitDraft({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  return (
    <ConfirmAction
      transfer={transfer}
      id="submit"
      path="/v1/transfers/{id}/submit"
      title={t('apply.submitDraft.title')}
      submit={t('apply.submitDraft.submit')}
    >
      <p>{t('apply.submitDraft.text')}</p>
      <p>
        <Link to={`/transfers/${transfer.id}/edit`}>{t('apply.submitDraft.edit')}</Link>
      </p>
    </ConfirmAction>
  );
}

/** The open round, answered item by item: a text and/or a document for each (a material item needs one). */
function Supplement({ transfer }: { transfer: Transfer }) {
  const { t, i18n } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const round = transfer.supplementRequests.find((r) => r.status === 'open');
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [docs, setDocs] = useState<Record<string, Uploaded>>({});
  if (!round) return null;
  return (
    <ActionForm
      id="supplement"
      title={t('apply.supplement.title', { round: round.round })}
      submit={t('apply.supplement.submit')}
      busy={busy}
      problem={problem}
      fields={round.items.map((_, n) => `/responses/${n}`)}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/supplement', {
              params: { path: { id } },
              headers,
              body: {
                // an item left empty is sent as it is: the server refuses it at /responses/<n>
                responses: round.items.map((item) => ({
                  itemId: item.itemId,
                  ...opt('text', texts[item.itemId] ?? ''),
                  ...(docs[item.itemId] ? { documentId: docs[item.itemId]!.id } : {}),
                })) as BodyOf<'/v1/transfers/{id}/supplement'>['responses'],
              },
            }),
          ),
        )
      }
    >
      <p>
        {round.dueAt
          ? t('apply.supplement.due', { at: formatInstant(round.dueAt, i18n.language) })
          : t('apply.supplement.paused')}
      </p>
      <ol className="supplement-items">
        {round.items.map((item, n) => {
          const about = item.material
            ? t(`apply.material.${item.material}`, { defaultValue: item.material })
            : item.field;
          return (
            <li key={item.itemId}>
              <fieldset aria-describedby={`item-${item.itemId}-request`}>
                <legend>{t('apply.supplement.item', { id: item.itemId })}</legend>
                {(problem?.errors ?? [])
                  .filter((e) => e.pointer === `/responses/${n}`)
                  .map((e) => (
                    <p key={e.detail} className="field-error">
                      {e.detail}
                    </p>
                  ))}
                <p id={`item-${item.itemId}-request`}>
                  {about && <strong>{about}: </strong>}
                  {item.request}
                </p>
                <TextField
                  label={t('apply.supplement.answer', { id: item.itemId })}
                  pointer={`/responses/${n}/text`}
                  value={texts[item.itemId] ?? ''}
                  onChange={(v) => setTexts((x) => ({ ...x, [item.itemId]: v }))}
                  multiline
                />
                <DropZone
                  label={t('apply.supplement.document', { id: item.itemId })}
                  pointer={`/responses/${n}/documentId`}
                  value={docs[item.itemId]}
                  onUploaded={(d) => setDocs((x) => ({ ...x, [item.itemId]: d }))}
                />
              </fieldset>
            </li>
          );
        })}
      </ol>
    </ActionForm>
  );
}

/** Withdraw, or request a re-review: a reason is all either takes. */
function ReasonAction({ transfer, kind }: { transfer: Transfer; kind: 'withdraw' | 're-review' }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [reason, setReason] = useState('');
  const path =
    kind === 'withdraw'
      ? ('/v1/transfers/{id}/withdraw' as const)
      : ('/v1/transfers/{id}/request-re-review' as const);
  return (
    <ActionForm
      id={kind}
      title={t(`apply.${kind === 'withdraw' ? 'withdraw' : 'reReview'}.title`)}
      submit={t(`apply.${kind === 'withdraw' ? 'withdraw' : 'reReview'}.submit`)}
      busy={busy}
      problem={problem}
      fields={['/reason']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(api.POST(path, { params: { path: { id } }, headers, body: { reason: reason.trim() } })),
        )
      }
    >
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

/** The last day of the open reporting period in Asia/Shanghai (the report names it). */
export function openPeriodEnd(transfer: Transfer): string {
  const end = (transfer.supervision as { periodEnd?: string } | null)?.periodEnd;
  if (!end) return '';
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(Date.parse(end) - 1));
}

const lines = (v: string) =>
  v
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const count = (v: string) => (/^\s*\d+\s*$/.test(v) ? Number(v) : (v as unknown as number));

function Report({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [periodEnd, setPeriodEnd] = useState(() => openPeriodEnd(transfer));
  const [individuals, setIndividuals] = useState('');
  const [sensitive, setSensitive] = useState('');
  const [incidents, setIncidents] = useState('');
  const [notes, setNotes] = useState('');
  return (
    <ActionForm
      id="report"
      title={t('apply.report.title')}
      submit={t('apply.report.submit')}
      busy={busy}
      problem={problem}
      fields={[
        '/periodEnd',
        '/individualsTransferred',
        '/sensitiveIndividualsTransferred',
        '/incidents',
        '/notes',
      ]}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/report', {
              params: { path: { id } },
              headers,
              body: {
                periodEnd,
                individualsTransferred: count(individuals),
                sensitiveIndividualsTransferred: count(sensitive),
                incidents: lines(incidents),
                ...opt('notes', notes),
              },
            }),
          ),
        )
      }
    >
      <TextField
        label={t('apply.report.periodEnd')}
        type="date"
        pointer="/periodEnd"
        value={periodEnd}
        onChange={setPeriodEnd}
        required
      />
      <TextField
        label={t('apply.report.individuals')}
        pointer="/individualsTransferred"
        value={individuals}
        onChange={setIndividuals}
        required
      />
      <TextField
        label={t('apply.report.sensitive')}
        pointer="/sensitiveIndividualsTransferred"
        value={sensitive}
        onChange={setSensitive}
        required
      />
      <TextField
        label={t('apply.report.incidents')}
        hint={t('actions.conditionsHint')}
        pointer="/incidents"
        value={incidents}
        onChange={setIncidents}
        multiline
      />
      <TextField label={t('apply.notes')} pointer="/notes" value={notes} onChange={setNotes} multiline />
    </ActionForm>
  );
}

/** A datetime-local value (read as Asia/Shanghai time) as an ISO instant; '' stays '' for the server to name. */
function shanghaiInstant(local: string): string {
  const m = /^\s*(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})\s*$/.exec(local);
  return m ? `${m[1]}T${m[2]}:00+08:00` : local.trim();
}

function ReportIncident({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [severity, setSeverity] = useState<'low' | 'medium' | 'high' | 'major' | ''>('');
  const [occurredAt, setOccurredAt] = useState('');
  const [description, setDescription] = useState('');
  return (
    <ActionForm
      id="incident"
      title={t('apply.incident.title')}
      submit={t('apply.incident.submit')}
      busy={busy}
      problem={problem}
      fields={['/severity', '/occurredAt', '/description']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/report-incident', {
              params: { path: { id } },
              headers,
              body: {
                severity: severity as 'low',
                occurredAt: shanghaiInstant(occurredAt),
                description: description.trim(),
              },
            }),
          ),
        )
      }
    >
      <RadioGroup
        label={t('apply.incident.severity')}
        pointer="/severity"
        value={severity}
        onChange={setSeverity}
        options={(['low', 'medium', 'high', 'major'] as const).map((v) => ({
          value: v,
          label: t(`apply.severity.${v}`),
        }))}
      />
      <DateTimeField
        label={t('apply.incident.occurredAt')}
        pointer="/occurredAt"
        value={occurredAt}
        onChange={setOccurredAt}
      />
      <TextField
        label={t('apply.incident.description')}
        pointer="/description"
        value={description}
        onChange={setDescription}
        multiline
        required
      />
    </ActionForm>
  );
}

/** A date and time in Asia/Shanghai (the form helpers have no datetime-local input). */
function DateTimeField(props: {
  label: string;
  pointer: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <TextField
      label={props.label}
      hint={t('apply.hint.shanghaiTime')}
      pointer={props.pointer}
      value={props.value}
      onChange={props.onChange}
      required
    />
  );
}

const changeKinds = [
  'purpose',
  'scope',
  'data_types',
  'sensitivity',
  'method',
  'storage_location',
  'retention',
  'recipient',
  'control',
  'destination_law',
  'agreement',
] as const;

function ReportChange({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [kind, setKind] = useState<(typeof changeKinds)[number] | ''>('');
  const [description, setDescription] = useState('');
  return (
    <ActionForm
      id="change"
      title={t('apply.change.title')}
      submit={t('apply.change.submit')}
      busy={busy}
      problem={problem}
      fields={['/changes', '/application']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/report-change', {
              params: { path: { id } },
              headers,
              body: { changes: [{ kind: kind as 'purpose', description: description.trim() }] },
            }),
          ),
        )
      }
    >
      <p className="hint">{t('apply.change.hint')}</p>
      <SelectField
        label={t('apply.change.kind')}
        pointer="/changes/0/kind"
        value={kind}
        onChange={setKind}
        options={[
          { value: '', label: t('apply.choose') },
          ...changeKinds.map((k) => ({ value: k, label: t(`apply.changeKind.${k}`) })),
        ]}
      />
      <TextField
        label={t('apply.change.description')}
        pointer="/changes/0/description"
        value={description}
        onChange={setDescription}
        multiline
        required
      />
    </ActionForm>
  );
}

function RequestExtension({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [expected, setExpected] = useState('');
  const [notes, setNotes] = useState('');
  return (
    <ActionForm
      id="extension"
      title={t('apply.extension.title')}
      submit={t('apply.extension.submit')}
      busy={busy}
      problem={problem}
      fields={['/expectedIndividuals', '/notes']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/request-extension', {
              params: { path: { id } },
              headers,
              body: { expectedIndividuals: count(expected), ...opt('notes', notes) },
            }),
          ),
        )
      }
    >
      <TextField
        label={t('apply.extension.expected')}
        pointer="/expectedIndividuals"
        value={expected}
        onChange={setExpected}
        required
      />
      <TextField label={t('apply.notes')} pointer="/notes" value={notes} onChange={setNotes} multiline />
    </ActionForm>
  );
}

function RespondRectification({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const [text, setText] = useState('');
  const [docs, setDocs] = useState<Uploaded[]>([]);
  const order = transfer.supervision?.actions.filter((a) => a.kind === 'rectification_order').at(-1);
  return (
    <ActionForm
      id="rectification"
      title={t('apply.rectification.title')}
      submit={t('apply.rectification.submit')}
      busy={busy}
      problem={problem}
      fields={['/text', '/documentIds']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/respond-rectification', {
              params: { path: { id } },
              headers,
              body: {
                text: text.trim(),
                ...(docs.length > 0 ? { documentIds: docs.map((d) => d.id) } : {}),
              },
            }),
          ),
        )
      }
    >
      {order && (
        <p>{t('apply.rectification.order', { reason: order.reason, deadline: order.deadline ?? '—' })}</p>
      )}
      <TextField
        label={t('apply.rectification.text')}
        pointer="/text"
        value={text}
        onChange={setText}
        multiline
        required
      />
      <DropZone
        label={t('apply.rectification.document')}
        pointer="/documentIds"
        onUploaded={(d) => setDocs((x) => [...x, d])}
      />
      {docs.length > 0 && (
        <ul>
          {docs.map((d) => (
            <li key={d.id}>
              {d.filename} <code className="digest">{d.id}</code>
            </li>
          ))}
        </ul>
      )}
    </ActionForm>
  );
}

/** The yearly re-check of an exemption: the facts it rests on still hold (or the answer says why not). */
function ConfirmExemption({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const rule = transfer.route?.rules[0];
  return (
    <ActionForm
      id="exemption"
      title={t('apply.exemption.title')}
      submit={t('apply.exemption.submit')}
      busy={busy}
      problem={problem}
      fields={['/application']}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/confirm-exemption', {
              params: { path: { id } },
              headers,
              body: {},
            }),
          ),
        )
      }
    >
      <p>
        {t('apply.exemption.text', {
          rule: rule
            ? `${rule.id} — ${t(`apply.rules.${rule.id.replace(/[^A-Za-z0-9-]/g, '_')}`, { defaultValue: rule.reason })}`
            : '—',
        })}
      </p>
    </ActionForm>
  );
}

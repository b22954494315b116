/**
 * The new-application wizard (and the same wizard on a saved draft): parties, data and volume, transfer and
 * safeguards, materials, review and submit. Beside it a live route check (POST /v1/route-check, debounced)
 * says which route the facts lead to, the rule that fired and why, which materials to attach and which clocks
 * will run; what the route still needs is shown at the field it concerns. Save as draft (POST {draft:true},
 * then PATCH), submit (POST /:id/submit) with an Idempotency-Key per attempt.
 */
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ProblemError, unwrap, type Problem } from '../api/client';
import { ProblemProvider, ProblemSummary, RadioGroup, SelectField, TextField } from '../components/form';
import { DropZone } from '../components/upload';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { formatInstant } from '../format';
import {
  emptyCategory,
  emptyForm,
  emptyOnward,
  exemptionBases,
  fromApplication,
  keyHolders,
  knownUpload,
  materialKinds,
  normaliseProblem,
  rememberUpload,
  routeChoices,
  routingFacts,
  stepOf,
  steps,
  toApplication,
  toFieldPointer,
  type Form,
  type MaterialKind,
  type RouteCheck,
  type Step,
  type YesNo,
} from '../apply/model';
import { useProblem } from './common';
import { useDebounced } from '../eu/debounce';
import { NewEuTransfer } from '../eu/NewEuTransfer';

/** An Idempotency-Key per attempt: the same body retried keeps its key, a changed body gets a new one. */
function useAttemptKey() {
  const last = useRef<{ body: string; key: string }>(undefined);
  return {
    keyFor(body: unknown): string {
      const json = JSON.stringify(body);
      if (last.current?.body !== json) last.current = { body: json, key: crypto.randomUUID() };
      return last.current.key;
    },
    done() {
      last.current = undefined;
    },
  };
}

export function NewTransfer({ id }: { id?: string }) {
  const { t } = useTranslation();
  // the draft this page was opened on (a draft created here stays in this component's state)
  const [openedOn] = useState(id);
  const draft = useQuery({
    queryKey: ['transfer', openedOn],
    queryFn: () => unwrap(api.GET('/v1/transfers/{id}', { params: { path: { id: openedOn! } } })),
    enabled: openedOn !== undefined,
    staleTime: Infinity,
  });
  const problem = useProblem(draft.error);
  if (!openedOn) return <ChoosePolicy />;
  if (draft.isPending) return <p role="status">{t('common.loading')}</p>;
  if (!draft.data)
    return (
      <>
        <h1>{t('transfer.notFound')}</h1>
        <ProblemSummary problem={problem} />
      </>
    );
  if (draft.data.status !== 'draft')
    return (
      <>
        <h1>{t('apply.wizard.editTitle')}</h1>
        <p>{t('apply.wizard.notADraft')}</p>
        <p>
          <Link to={`/transfers/${draft.data.id}`}>{t('apply.wizard.openTransfer')}</Link>
        </p>
      </>
    );
  return <Wizard initial={fromApplication(draft.data.application, knownUpload)} draftId={draft.data.id} />;
}

/** A new application under either pack: cn-2024 (the default, the wizard) or eu-gdpr (its own application). */
function ChoosePolicy() {
  const { t } = useTranslation();
  const [policy, setPolicy] = useState<'cn-2024' | 'eu-gdpr'>('cn-2024');
  return (
    <>
      <div className="policy-choice">
        <SelectField<'cn-2024' | 'eu-gdpr'>
          label={t('eu.policyChoice')}
          value={policy}
          onChange={setPolicy}
          options={[
            { value: 'cn-2024', label: t('eu.policy.cn-2024') },
            { value: 'eu-gdpr', label: t('eu.policy.eu-gdpr') },
          ]}
        />
      </div>
      {policy === 'cn-2024' ? (
        <Wizard initial={emptyForm()} />
      ) : (
        <>
          <h1>{t('eu.form.title')}</h1>
          <NewEuTransfer />
        </>
      )}
    </>
  );
}

function Wizard({ initial, draftId }: { initial: Form; draftId?: string }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const queries = useQueryClient();
  const org = session?.org ?? '';
  const [form, setForm] = useState(initial);
  const [step, setStep] = useState<Step>('parties');
  const [id, setId] = useState(draftId);
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState<'save' | 'submit'>();
  const [savedAt, setSavedAt] = useState<string>();
  const createKey = useAttemptKey();
  const submitKey = useAttemptKey();
  const headingRef = useRef<HTMLHeadingElement>(null);

  const set =
    <K extends keyof Form>(k: K) =>
    (v: Form[K]) =>
      setForm((f) => ({ ...f, [k]: v }));
  const application = toApplication(form, org);

  // the live route check: the routing facts, debounced
  const facts = useDebounced(JSON.stringify(routingFacts(application)), 400);
  const check = useQuery({
    queryKey: ['route-check', facts],
    // no `policy`: the default pack, cn-2024, whose answer is a RouteCheck
    queryFn: () =>
      unwrap(
        api.POST('/v1/route-check', { body: JSON.parse(facts) as Record<string, never> }),
      ) as Promise<RouteCheck>,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const needs = new Map((check.data?.needsInfo ?? []).map((n) => [toFieldPointer(n.field), n] as const));

  const go = (s: Step) => {
    setStep(s);
    headingRef.current?.focus();
  };

  /** Show a refusal at its fields, on the step that holds the first of them. */
  const refuse = (err: unknown) => {
    const p =
      err instanceof ProblemError
        ? normaliseProblem(err.problem)
        : ({ type: 'about:blank', title: '', status: 0, detail: String(err), instance: '' } as Problem);
    setProblem(p);
    const first = (p.errors ?? []).map((e) => stepOf(e.pointer)).find(Boolean);
    if (first) setStep(first);
    return p;
  };

  /** Save the draft (create it the first time); answers its id. */
  const save = async (): Promise<string> => {
    if (id) {
      const next = await unwrap(
        api.PATCH('/v1/transfers/{id}', { params: { path: { id } }, body: application as never }),
      );
      queries.setQueryData(['transfer', id], next);
      return id;
    }
    const body = { ...application, draft: true as const };
    const created = await unwrap(
      api.POST('/v1/transfers', {
        body: body as never,
        headers: { 'Idempotency-Key': createKey.keyFor(body) },
      }),
    );
    createKey.done();
    setId(created.id);
    queries.setQueryData(['transfer', created.id], created);
    // the address of this draft from now on (reload or share it to come back here)
    navigate(`/transfers/${created.id}/edit`, { replace: true });
    return created.id;
  };

  const onSave = async () => {
    setBusy('save');
    setProblem(undefined);
    try {
      await save();
      setSavedAt(new Date().toISOString());
    } catch (err) {
      refuse(err);
    } finally {
      setBusy(undefined);
    }
  };

  const onSubmit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (step !== 'review') return go(steps[steps.indexOf(step) + 1]!);
    setBusy('submit');
    setProblem(undefined);
    try {
      const saved = await save();
      const next = await unwrap(
        api.POST('/v1/transfers/{id}/submit', {
          params: { path: { id: saved } },
          headers: { 'Idempotency-Key': submitKey.keyFor({ submit: saved }) },
          body: {},
        }),
      );
      submitKey.done();
      queries.setQueryData(['transfer', saved], next);
      void queries.invalidateQueries({ queryKey: ['transfers'] });
      navigate(`/transfers/${saved}`);
    } catch (err) {
      const p = refuse(err);
      // a refusal is final for this attempt; only a lost answer is retried with the same key
      if (p.status !== 0 && p.status < 500) submitKey.done();
    } finally {
      setBusy(undefined);
    }
  };

  const at = (pointer: string, children: ReactNode) => (
    <At pointer={pointer} need={needs.get(pointer)}>
      {children}
    </At>
  );
  const yesNo = (label: string, pointer: string, value: YesNo, onChange: (v: YesNo) => void) =>
    at(
      pointer,
      <RadioGroup<'yes' | 'no'>
        label={label}
        pointer={pointer}
        value={value}
        onChange={onChange}
        options={[
          { value: 'yes', label: t('apply.yes') },
          { value: 'no', label: t('apply.no') },
        ]}
      />,
    );
  const text = (
    label: string,
    pointer: string,
    key: keyof Form,
    opts: { hint?: string; multiline?: boolean; type?: 'text' | 'date' } = {},
  ) =>
    at(
      pointer,
      <TextField label={label} pointer={pointer} value={form[key] as string} onChange={set(key)} {...opts} />,
    );

  const title = id ? t('apply.wizard.editTitle') : t('apply.wizard.title');
  const fieldsOfStep = (s: Step) =>
    s === 'review'
      ? []
      : {
          parties: ['/title', '/exporter', '/recipient', '/purpose'],
          data: ['/dataCategories', '/volume', '/exemption'],
          transfer: ['/transfer', '/safeguards', '/routePreference', '/contractTermMonths'],
          materials: ['/materials'],
        }[s];

  return (
    <div className="wizard">
      <h1>{title}</h1>
      <nav aria-label={t('apply.wizard.steps')}>
        <ol className="steps">
          {steps.map((s, i) => (
            <li key={s}>
              <button
                type="button"
                className="step"
                aria-current={s === step ? 'step' : undefined}
                onClick={() => go(s)}
              >
                {i + 1}. {t(`apply.step.${s}`)}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <div className="wizard-body">
        <form aria-label={title} onSubmit={(e) => void onSubmit(e)} noValidate className="wizard-form">
          <h2 tabIndex={-1} ref={headingRef}>
            {t(`apply.step.${step}`)}
          </h2>
          <ProblemProvider problem={problem}>
            <ProblemSummary problem={problem} fields={fieldsOfStep(step)} />
            {step === 'parties' && (
              <>
                {text(t('apply.field.title'), '/title', 'title')}
                <fieldset>
                  <legend>{t('apply.section.exporter')}</legend>
                  <p className="hint">{t('apply.exporterOrg', { org })}</p>
                  {text(t('apply.field.exporterName'), '/exporter/name', 'exporterName')}
                  {text(t('apply.field.creditCode'), '/exporter/creditCode', 'creditCode', {
                    hint: t('apply.hint.creditCode'),
                  })}
                  {yesNo(t('apply.field.isCIIO'), '/exporter/isCIIO', form.isCIIO, set('isCIIO'))}
                </fieldset>
                <fieldset>
                  <legend>{t('apply.section.recipient')}</legend>
                  {text(t('apply.field.recipientId'), '/recipient/id', 'recipientId', {
                    hint: t('apply.hint.recipientId'),
                  })}
                  {text(t('apply.field.recipientName'), '/recipient/name', 'recipientName')}
                  {text(t('apply.field.country'), '/recipient/country', 'country', {
                    hint: t('apply.hint.country'),
                  })}
                  {text(t('apply.field.contactEmail'), '/recipient/contactEmail', 'contactEmail')}
                  {text(t('apply.field.certifications'), '/recipient/certifications', 'certifications', {
                    hint: t('apply.hint.list'),
                  })}
                </fieldset>
                {text(t('apply.field.purpose'), '/purpose', 'purpose', { multiline: true })}
              </>
            )}
            {step === 'data' && (
              <>
                {yesNo(
                  t('apply.field.personalInfo'),
                  '/dataCategories',
                  form.personalInfo,
                  set('personalInfo'),
                )}
                {form.personalInfo === 'yes' && (
                  <Categories form={form} setForm={setForm} need={needs.get('/dataCategories')} />
                )}
                <fieldset>
                  <legend>{t('apply.section.volume')}</legend>
                  {text(t('apply.field.individualsYtd'), '/volume/individualsYtd', 'individualsYtd', {
                    hint: t('apply.hint.ytd'),
                  })}
                  {text(
                    t('apply.field.sensitiveIndividualsYtd'),
                    '/volume/sensitiveIndividualsYtd',
                    'sensitiveIndividualsYtd',
                  )}
                  {yesNo(
                    t('apply.field.importantData'),
                    '/volume/importantData',
                    form.importantData,
                    set('importantData'),
                  )}
                </fieldset>
                <fieldset>
                  <legend>{t('apply.section.exemption')}</legend>
                  <p className="hint">{t('apply.hint.exemption')}</p>
                  {at(
                    '/exemption/basis',
                    <SelectField
                      label={t('apply.field.exemptionBasis')}
                      pointer="/exemption/basis"
                      value={form.exemptionBasis}
                      onChange={set('exemptionBasis')}
                      options={[
                        { value: '', label: t('apply.none') },
                        ...exemptionBases.map((b) => ({ value: b, label: t(`apply.basis.${b}`) })),
                      ]}
                    />,
                  )}
                  {form.exemptionBasis &&
                    text(t('apply.field.justification'), '/exemption/justification', 'justification', {
                      multiline: true,
                    })}
                </fieldset>
              </>
            )}
            {step === 'transfer' && (
              <>
                <fieldset>
                  <legend>{t('apply.section.transfer')}</legend>
                  {text(t('apply.field.method'), '/transfer/method', 'method')}
                  {text(t('apply.field.frequency'), '/transfer/frequency', 'frequency')}
                  {text(t('apply.field.storageLocation'), '/transfer/storageLocation', 'storageLocation')}
                  {text(t('apply.field.retentionDays'), '/transfer/retentionDays', 'retentionDays')}
                  <OnwardTransfers form={form} setForm={setForm} />
                </fieldset>
                <fieldset>
                  <legend>{t('apply.section.safeguards')}</legend>
                  {yesNo(
                    t('apply.field.encryptionInTransit'),
                    '/safeguards/encryptionInTransit',
                    form.encryptionInTransit,
                    set('encryptionInTransit'),
                  )}
                  {yesNo(
                    t('apply.field.encryptionAtRest'),
                    '/safeguards/encryptionAtRest',
                    form.encryptionAtRest,
                    set('encryptionAtRest'),
                  )}
                  {at(
                    '/safeguards/keysHeldBy',
                    <SelectField
                      label={t('apply.field.keysHeldBy')}
                      pointer="/safeguards/keysHeldBy"
                      value={form.keysHeldBy}
                      onChange={set('keysHeldBy')}
                      options={[
                        { value: '', label: t('apply.choose') },
                        ...keyHolders.map((k) => ({ value: k, label: t(`apply.keys.${k}`) })),
                      ]}
                    />,
                  )}
                  {yesNo(
                    t('apply.field.pseudonymised'),
                    '/safeguards/pseudonymised',
                    form.pseudonymised,
                    set('pseudonymised'),
                  )}
                </fieldset>
                {at(
                  '/routePreference',
                  <SelectField
                    label={t('apply.field.routePreference')}
                    pointer="/routePreference"
                    value={form.routePreference}
                    onChange={set('routePreference')}
                    options={[
                      { value: '', label: t('apply.none') },
                      ...routeChoices.map((r) => ({ value: r, label: t(`route.${r}`) })),
                    ]}
                  />,
                )}
                {text(t('apply.field.contractTermMonths'), '/contractTermMonths', 'contractTermMonths')}
              </>
            )}
            {step === 'materials' && <Materials form={form} setForm={setForm} check={check.data} />}
            {step === 'review' && <Review form={form} check={check.data} />}
          </ProblemProvider>
          <div className="wizard-buttons">
            {step !== 'parties' && (
              <button type="button" className="secondary" onClick={() => go(steps[steps.indexOf(step) - 1]!)}>
                {t('apply.wizard.back')}
              </button>
            )}
            <button type="button" className="secondary" onClick={() => void onSave()} disabled={!!busy}>
              {busy === 'save' ? t('common.sending') : t('apply.wizard.save')}
            </button>
            <button type="submit" disabled={!!busy}>
              {step === 'review'
                ? busy === 'submit'
                  ? t('common.sending')
                  : t('apply.wizard.submit')
                : t('apply.wizard.next')}
            </button>
          </div>
          <p role="status" className="saved">
            {savedAt && id ? t('apply.wizard.saved', { at: formatInstant(savedAt, i18n.language) }) : ''}
          </p>
        </form>
        <RoutePanel check={check.data} pending={check.isFetching} problem={useProblem(check.error)} go={go} />
      </div>
    </div>
  );
}

/** A field of the form, and beside it what the route check still needs from it. */
function At({
  pointer,
  need,
  children,
}: {
  pointer: string;
  need?: { field: string; reason: string };
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="at" data-pointer={pointer}>
      {children}
      {need && <p className="need">{t('apply.route.neededHere', { reason: needReason(t, need) })}</p>}
    </div>
  );
}

type T = ReturnType<typeof useTranslation>['t'];
const needReason = (t: T, n: { field: string; reason: string }) =>
  t(`apply.need.${n.field.replace(/\./g, '_')}`, { defaultValue: n.reason });
const fieldName = (t: T, field: string) =>
  t(`apply.fieldName.${field.replace(/\./g, '_')}`, { defaultValue: field });

function Categories({
  form,
  setForm,
  need,
}: {
  form: Form;
  setForm: (f: (x: Form) => Form) => void;
  need?: { field: string; reason: string };
}) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<Form['categories'][number]>) =>
    setForm((f) => ({ ...f, categories: f.categories.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));
  return (
    <fieldset>
      <legend>{t('apply.section.categories')}</legend>
      {form.categories.map((c, i) => (
        <div key={i} className="row-group">
          <TextField
            label={t('apply.field.category', { n: i + 1 })}
            pointer={`/dataCategories/${i}/category`}
            value={c.category}
            onChange={(v) => update(i, { category: v })}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={c.sensitive}
              onChange={(e) => update(i, { sensitive: e.target.checked })}
            />{' '}
            {t('apply.field.sensitive', { n: i + 1 })}
          </label>
          <TextField
            label={t('apply.field.categoryFields', { n: i + 1 })}
            hint={t('apply.hint.list')}
            pointer={`/dataCategories/${i}/fields`}
            value={c.fields}
            onChange={(v) => update(i, { fields: v })}
          />
          {form.categories.length > 1 && (
            <button
              type="button"
              className="secondary"
              onClick={() => setForm((f) => ({ ...f, categories: f.categories.filter((_, j) => j !== i) }))}
            >
              {t('apply.removeCategory', { n: i + 1 })}
            </button>
          )}
        </div>
      ))}
      {need && <p className="need">{t('apply.route.neededHere', { reason: needReason(t, need) })}</p>}
      <button
        type="button"
        className="secondary"
        onClick={() => setForm((f) => ({ ...f, categories: [...f.categories, emptyCategory()] }))}
      >
        {t('apply.addCategory')}
      </button>
    </fieldset>
  );
}

function OnwardTransfers({ form, setForm }: { form: Form; setForm: (f: (x: Form) => Form) => void }) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<Form['onward'][number]>) =>
    setForm((f) => ({ ...f, onward: f.onward.map((o, j) => (j === i ? { ...o, ...patch } : o)) }));
  return (
    <div>
      <h3>{t('apply.section.onward')}</h3>
      {form.onward.length === 0 && <p className="hint">{t('apply.noOnward')}</p>}
      {form.onward.map((o, i) => (
        <div key={i} className="row-group">
          <TextField
            label={t('apply.field.onwardName', { n: i + 1 })}
            pointer={`/transfer/onwardTransfers/${i}/recipientName`}
            value={o.recipientName}
            onChange={(v) => update(i, { recipientName: v })}
          />
          <TextField
            label={t('apply.field.onwardCountry', { n: i + 1 })}
            pointer={`/transfer/onwardTransfers/${i}/country`}
            value={o.country}
            onChange={(v) => update(i, { country: v })}
          />
          <TextField
            label={t('apply.field.onwardMechanism', { n: i + 1 })}
            pointer={`/transfer/onwardTransfers/${i}/mechanism`}
            value={o.mechanism}
            onChange={(v) => update(i, { mechanism: v })}
          />
          <button
            type="button"
            className="secondary"
            onClick={() => setForm((f) => ({ ...f, onward: f.onward.filter((_, j) => j !== i) }))}
          >
            {t('apply.removeOnward', { n: i + 1 })}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="secondary"
        onClick={() => setForm((f) => ({ ...f, onward: [...f.onward, emptyOnward()] }))}
      >
        {t('apply.addOnward')}
      </button>
    </div>
  );
}

function Materials({
  form,
  setForm,
  check,
}: {
  form: Form;
  setForm: (f: (x: Form) => Form) => void;
  check?: RouteCheck;
}) {
  const { t } = useTranslation();
  const [extra, setExtra] = useState<MaterialKind[]>([]);
  const required = check?.materialsRequired ?? [];
  const kinds = [...new Set<MaterialKind>([...required, ...form.materials.map((m) => m.kind), ...extra])];
  const others = materialKinds.filter((k) => !kinds.includes(k));
  const [adding, setAdding] = useState<MaterialKind | ''>('');
  const put = (kind: MaterialKind, patch: Partial<Form['materials'][number]>) =>
    setForm((f) => {
      const has = f.materials.some((m) => m.kind === kind);
      const materials = has
        ? f.materials.map((m) => (m.kind === kind ? { ...m, ...patch } : m))
        : [...f.materials, { kind, documentId: '', issuedOn: '', ...patch }];
      return { ...f, materials };
    });
  return (
    <>
      <p>
        {check?.route
          ? required.length > 0
            ? t('apply.materials.intro', { route: t(`route.${check.route}`) })
            : t('apply.materials.noneRequired')
          : t('apply.materials.noRoute')}
      </p>
      {kinds.map((kind) => {
        const i = form.materials.findIndex((m) => m.kind === kind);
        const m = i >= 0 ? form.materials[i] : undefined;
        const label = t(`apply.material.${kind}`);
        return (
          <fieldset key={kind} className="material">
            <legend>
              {label}{' '}
              {required.includes(kind) ? (
                <span className="badge">{t('apply.materials.required')}</span>
              ) : (
                <span className="badge optional">{t('apply.materials.optional')}</span>
              )}
            </legend>
            <DropZone
              label={t('apply.materials.file', { kind: label })}
              pointer={i >= 0 ? `/materials/${i}/documentId` : undefined}
              testId={`drop-${kind}`}
              value={
                m?.documentId
                  ? {
                      id: m.documentId,
                      filename: m.filename ?? t('apply.upload.unknownName'),
                      size: m.size ?? 0,
                      mediaType: '',
                    }
                  : undefined
              }
              onUploaded={(d) => {
                rememberUpload(d.id, d.filename, d.size);
                put(kind, { documentId: d.id, filename: d.filename, size: d.size });
              }}
            />
            {m && (
              <TextField
                label={t('apply.materials.issuedOn', { kind: label })}
                type="date"
                pointer={`/materials/${i}/issuedOn`}
                value={m.issuedOn}
                onChange={(v) => put(kind, { issuedOn: v })}
              />
            )}
          </fieldset>
        );
      })}
      {others.length > 0 && (
        <div className="add-material">
          <SelectField<MaterialKind | ''>
            label={t('apply.materials.addLabel')}
            value={adding}
            onChange={setAdding}
            options={[
              { value: '', label: t('apply.choose') },
              ...others.map((k) => ({ value: k, label: t(`apply.material.${k}`) })),
            ]}
          />
          <button
            type="button"
            className="secondary"
            disabled={!adding}
            onClick={() => {
              if (adding) setExtra((x) => [...x, adding]);
              setAdding('');
            }}
          >
            {t('apply.materials.add')}
          </button>
        </div>
      )}
    </>
  );
}

function Review({ form, check }: { form: Form; check?: RouteCheck }) {
  const { t } = useTranslation();
  const missing = (check?.materialsRequired ?? []).filter(
    (k) => !form.materials.some((m) => m.kind === k && m.documentId),
  );
  const rows: [string, string][] = [
    [t('apply.field.title'), form.title],
    [t('apply.field.exporterName'), form.exporterName],
    [t('apply.field.recipientName'), form.recipientName],
    [t('apply.field.country'), form.country.toUpperCase()],
    [t('apply.field.purpose'), form.purpose],
    [t('apply.field.individualsYtd'), form.individualsYtd],
    [t('apply.field.sensitiveIndividualsYtd'), form.sensitiveIndividualsYtd],
    [t('transfer.route'), check?.route ? t(`route.${check.route}`) : t('apply.route.undetermined')],
    [
      t('apply.review.materials'),
      form.materials
        .filter((m) => m.documentId)
        .map((m) => t(`apply.material.${m.kind}`))
        .join(', '),
    ],
  ];
  return (
    <>
      <p>{t('apply.review.intro')}</p>
      <dl className="facts review-facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v.trim() || '—'}</dd>
          </div>
        ))}
      </dl>
      {missing.length > 0 && (
        <p className="need">
          {t('apply.review.missing', { kinds: missing.map((k) => t(`apply.material.${k}`)).join(', ') })}
        </p>
      )}
    </>
  );
}

function lengthOf(t: T, length: RouteCheck['deadlines'][number]['length']): string {
  if ('workingDays' in length) return t('apply.clock.workingDays', { count: length.workingDays });
  if ('calendarDays' in length) return t('apply.clock.calendarDays', { count: length.calendarDays });
  if ('months' in length) return t('apply.clock.months', { count: length.months });
  if ('setByReviewer' in length) return t('apply.clock.setByReviewer');
  return t('apply.clock.untilExpiry');
}

/** The live route check: route, rule and reason, what is still needed, materials, clocks. */
function RoutePanel({
  check,
  pending,
  problem,
  go,
}: {
  check?: RouteCheck;
  pending: boolean;
  problem?: Problem;
  go: (s: Step) => void;
}) {
  const { t } = useTranslation();
  const focusField = (field: string) => {
    const pointer = toFieldPointer(field);
    const s = stepOf(pointer);
    if (s) go(s);
    // after the step has rendered: the first control of the field
    setTimeout(() => {
      const el = document.querySelector<HTMLElement>(
        `[data-pointer="${pointer}"] input, [data-pointer="${pointer}"] select, [data-pointer="${pointer}"] textarea`,
      );
      el?.focus();
    }, 0);
  };
  return (
    <aside className="route-panel card" aria-labelledby="route-check-title" data-testid="route-check">
      <h2 id="route-check-title">{t('apply.route.title')}</h2>
      <p className="hint">{pending ? t('apply.route.checking') : t('apply.route.live')}</p>
      <ProblemSummary problem={problem} />
      <div aria-live="polite">
        <p>
          <strong>{t('transfer.route')}:</strong>{' '}
          <span data-testid="route">
            {check?.route ? t(`route.${check.route}`) : t('apply.route.undetermined')}
          </span>
        </p>
        {(check?.rules ?? []).map((r) => (
          <p key={r.id} data-testid="route-rule">
            {t('apply.route.rule', {
              id: r.id,
              reason: t(`apply.rules.${r.id.replace(/[^A-Za-z0-9-]/g, '_')}`, { defaultValue: r.reason }),
            })}
          </p>
        ))}
      </div>
      {(check?.needsInfo.length ?? 0) > 0 && (
        <>
          <h3>{t('apply.route.needsInfo')}</h3>
          <ul>
            {check!.needsInfo.map((n) => (
              <li key={n.field}>
                <button type="button" className="link" onClick={() => focusField(n.field)}>
                  {fieldName(t, n.field)}
                </button>
                : {needReason(t, n)}
              </li>
            ))}
          </ul>
        </>
      )}
      {(check?.materialsRequired.length ?? 0) > 0 && (
        <>
          <h3>{t('apply.route.materials')}</h3>
          <ul>
            {check!.materialsRequired.map((k) => (
              <li key={k}>{t(`apply.material.${k}`)}</li>
            ))}
          </ul>
        </>
      )}
      {(check?.deadlines.length ?? 0) > 0 && (
        <>
          <h3>{t('apply.route.clocks')}</h3>
          <ul className="clocks">
            {check!.deadlines.map((d) => (
              <li key={d.step}>
                {t('apply.route.clock', {
                  step: t(`apply.clockStep.${d.step}`, { defaultValue: d.step.replace(/_/g, ' ') }),
                  actor: t(`role.${d.actor}`),
                  length: lengthOf(t, d.length),
                  missed: d.whenMissed,
                })}
              </li>
            ))}
          </ul>
        </>
      )}
      {check && <p className="hint">{t('apply.route.policy', check.policy)}</p>}
    </aside>
  );
}

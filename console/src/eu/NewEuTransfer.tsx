/**
 * The eu-gdpr application (EuGdprTransferApplication): parties, purpose, data categories and the route-check facts
 * that matter most (EU-GDPR.md §1: exporter and importer country and role, disclosure means, SCCs, the TIA, the DPF
 * record of a US importer, HR data, an Art. 49 derogation). A fact left at "Unknown" is left out of the request, so
 * the route check answers `needs_info` for it rather than guessing. Beside the form a live route check
 * (POST /v1/route-check with "policy": "eu-gdpr") shows the route, whether a TIA is required, every rule with its
 * reason and source, what is still needed, and the §8 materials, each uploaded here. Submit posts the application
 * with an Idempotency-Key per attempt; a refusal is shown at its fields.
 */
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ProblemError, unwrap, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { ProblemProvider, ProblemSummary, SelectField, TextField } from '../components/form';
import { DropZone, type Uploaded } from '../components/upload';
import { navigate } from '../router';
import { useSession } from '../session';
import { useDebounced } from './debounce';

export type EuRouteCheck = components['schemas']['RouteCheckEuGdpr'];
type Application = components['schemas']['EuGdprTransferApplication'];
type Facts = Application['facts'];
type Tri = '' | 'yes' | 'no';

const specialCategories = [
  'racial_or_ethnic_origin',
  'political_opinions',
  'religious_or_philosophical_beliefs',
  'trade_union_membership',
  'genetic',
  'biometric_identification',
  'health',
  'sex_life_or_orientation',
] as const;
const dpfStatuses = [
  'active',
  'active_recertification_under_review',
  'inactive',
  'removed',
  'not_listed',
] as const;
const derogationBases = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'cli'] as const;

export interface EuForm {
  title: string;
  exporterName: string;
  recipientId: string;
  recipientName: string;
  country: string;
  contactEmail: string;
  purpose: string;
  category: string;
  fields: string;
  special: '' | 'none' | (typeof specialCategories)[number];
  transferDate: string;
  exporterCountry: string;
  exporterRole: '' | 'controller' | 'processor';
  publicAuthority: Tri;
  importerRole: '' | 'controller' | 'processor';
  sameEntity: Tri;
  disclosureMeans: '' | 'transmission' | 'remote_access' | 'cloud_storage' | 'data_subject_direct';
  scc: '' | 'none' | 'yes';
  sccSigned: Tri;
  sccModule: '' | 'M1' | 'M2' | 'M3' | 'M4';
  sccUnmodified: Tri;
  sccAnnexes: Tri;
  bcr: '' | 'none';
  otherArt46: '' | 'none';
  tiaDone: Tri;
  tiaDate: string;
  tiaOutcome: '' | 'effective' | 'effective_with_measures' | 'not_effective';
  dpfStatus: '' | (typeof dpfStatuses)[number];
  dpfCovered: '' | 'hr' | 'non_hr' | 'both';
  dpfEntity: Tri;
  hrData: Tri;
  derogation: '' | 'none' | 'yes';
  derogationBasis: '' | (typeof derogationBases)[number];
  derogationFrequency: '' | 'occasional' | 'repetitive' | 'systematic';
}

const today = () => new Date().toISOString().slice(0, 10);

export const emptyEuForm = (): EuForm => ({
  title: '',
  exporterName: '',
  recipientId: '',
  recipientName: '',
  country: '',
  contactEmail: '',
  purpose: '',
  category: '',
  fields: '',
  special: '',
  transferDate: today(),
  exporterCountry: '',
  exporterRole: '',
  publicAuthority: '',
  importerRole: '',
  sameEntity: '',
  disclosureMeans: '',
  scc: '',
  sccSigned: '',
  sccModule: '',
  sccUnmodified: '',
  sccAnnexes: '',
  bcr: 'none',
  otherArt46: 'none',
  tiaDone: '',
  tiaDate: '',
  tiaOutcome: '',
  dpfStatus: '',
  dpfCovered: '',
  dpfEntity: '',
  hrData: '',
  derogation: 'none',
  derogationBasis: '',
  derogationFrequency: '',
});

const tri = (v: Tri): boolean | undefined => (v === 'yes' ? true : v === 'no' ? false : undefined);
const str = (v: string): string | undefined => (v.trim() ? v.trim() : undefined);
const upper = (v: string): string | undefined => str(v)?.toUpperCase();

/** An object without its undefined members, or undefined when nothing is left. */
function defined<T extends object>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The route-check facts of the form; what is "Unknown" is left out. */
export function toFacts(f: EuForm): Facts {
  const importerCountry = upper(f.country);
  const dpf =
    importerCountry === 'US'
      ? defined({
          status: f.dpfStatus || undefined,
          framework: f.dpfStatus ? ('eu-us' as const) : undefined,
          coveredData:
            f.dpfCovered === 'both'
              ? (['hr', 'non_hr'] as ('hr' | 'non_hr')[])
              : f.dpfCovered
                ? [f.dpfCovered]
                : undefined,
          entityMatches: tri(f.dpfEntity),
        })
      : undefined;
  return defined({
    transferDate: str(f.transferDate),
    exporter: defined({
      country: upper(f.exporterCountry),
      role: f.exporterRole || undefined,
      publicAuthorityExercisingPublicPowers: tri(f.publicAuthority),
    }),
    importer: defined({
      country: importerCountry,
      role: f.importerRole || undefined,
      sameLegalEntityAsExporter: tri(f.sameEntity),
      scopeFacts: dpf ? { dpf } : undefined,
    }),
    disclosureMeans: f.disclosureMeans || undefined,
    scc:
      f.scc === 'none'
        ? null
        : f.scc === 'yes'
          ? (defined({
              signed: tri(f.sccSigned),
              module: f.sccModule || undefined,
              version: '2021/914',
              textUnmodified: tri(f.sccUnmodified),
              annexesComplete: tri(f.sccAnnexes),
            }) ?? {})
          : undefined,
    bcr: f.bcr === 'none' ? null : undefined,
    otherArt46: f.otherArt46 === 'none' ? null : undefined,
    tia:
      f.tiaDone === 'no'
        ? { done: false }
        : f.tiaDone === 'yes'
          ? { done: true, date: str(f.tiaDate), outcome: f.tiaOutcome || undefined }
          : undefined,
    derogation:
      f.derogation === 'none'
        ? null
        : f.derogation === 'yes'
          ? (defined({
              basis: f.derogationBasis || undefined,
              frequency: f.derogationFrequency || undefined,
            }) ?? {})
          : undefined,
    dataCategories: str(f.category) ? [f.category.trim()] : undefined,
    specialCategories: f.special === 'none' ? [] : f.special ? [f.special] : undefined,
    hrData: tri(f.hrData),
  }) as Facts;
}

function toApplication(
  f: EuForm,
  org: string,
  uploads: Record<string, Uploaded>,
  kinds: string[],
): Application {
  return {
    policy: 'eu-gdpr',
    title: f.title.trim(),
    exporter: { org, name: f.exporterName.trim() },
    recipient: {
      id: f.recipientId.trim(),
      name: f.recipientName.trim(),
      country: f.country.trim().toUpperCase(),
      contactEmail: f.contactEmail.trim(),
    },
    purpose: f.purpose.trim(),
    dataCategories: [
      {
        category: f.category.trim(),
        sensitive: f.special !== '' && f.special !== 'none',
        fields: f.fields
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      },
    ],
    materials: kinds
      .filter((k) => uploads[k])
      .map((k) => ({ kind: k, documentId: uploads[k]!.id })) as Application['materials'],
    facts: toFacts(f),
  };
}

/** A needs-info field (`importer.scopeFacts.dpf.status`) as the pointer of the form field that answers it. */
const factPointer = (field: string) => `/facts/${field.replace(/\[(\d+)\]/g, '.$1').replace(/\./g, '/')}`;

export function NewEuTransfer() {
  const { t } = useTranslation();
  const session = useSession();
  const queries = useQueryClient();
  const org = session?.org ?? '';
  const [form, setForm] = useState(emptyEuForm);
  const [uploads, setUploads] = useState<Record<string, Uploaded>>({});
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const attempt = useRef<{ body: string; key: string }>(undefined);
  const set =
    <K extends keyof EuForm>(k: K) =>
    (v: EuForm[K]) =>
      setForm((f) => ({ ...f, [k]: v }));

  const facts = useDebounced(JSON.stringify(toFacts(form) ?? {}), 400);
  const check = useQuery({
    queryKey: ['route-check', 'eu-gdpr', facts],
    queryFn: () =>
      unwrap(
        api.POST('/v1/route-check', {
          body: { policy: 'eu-gdpr', ...(JSON.parse(facts) as object) } as never,
        }),
      ) as Promise<EuRouteCheck>,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const needs = new Map((check.data?.needsInfo ?? []).map((n) => [factPointer(n.field), n.reason]));
  const materials = check.data?.materials ?? [];

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    const body = toApplication(
      form,
      org,
      uploads,
      materials.map((m) => m.kind),
    );
    const json = JSON.stringify(body);
    if (attempt.current?.body !== json) attempt.current = { body: json, key: crypto.randomUUID() };
    try {
      const created = await unwrap(
        api.POST('/v1/transfers', {
          body: body as never,
          headers: { 'Idempotency-Key': attempt.current.key },
        }),
      );
      attempt.current = undefined;
      queries.setQueryData(['transfer', created.id], created);
      void queries.invalidateQueries({ queryKey: ['transfers'] });
      navigate(`/transfers/${created.id}`);
    } catch (err) {
      const p =
        err instanceof ProblemError
          ? err.problem
          : ({ type: 'about:blank', title: '', status: 0, detail: String(err), instance: '' } as Problem);
      if (p.status !== 0 && p.status < 500) attempt.current = undefined;
      setProblem(p);
    } finally {
      setBusy(false);
    }
  };

  /** A field, with what the route still needs of it. */
  const at = (pointer: string, children: ReactNode) => (
    <div data-pointer={pointer} className={needs.has(pointer) ? 'needs-info' : undefined}>
      {children}
      {needs.has(pointer) && (
        <p className="hint need">{t('eu.form.needed', { reason: needs.get(pointer) })}</p>
      )}
    </div>
  );
  const text = (
    label: string,
    pointer: string,
    key: keyof EuForm,
    opts: { hint?: string; multiline?: boolean; type?: 'text' | 'date' } = {},
  ) =>
    at(
      pointer,
      <TextField label={label} pointer={pointer} value={form[key]} onChange={set(key)} {...opts} />,
    );
  const choose = <K extends keyof EuForm>(
    label: string,
    pointer: string,
    key: K,
    values: readonly string[],
    words: (v: string) => string,
    unknown = true,
  ) =>
    at(
      pointer,
      <SelectField
        label={label}
        pointer={pointer}
        value={form[key]}
        onChange={set(key) as (v: string) => void}
        options={[
          ...(unknown ? [{ value: '', label: t('eu.form.unknown') }] : []),
          ...values.map((v) => ({ value: v, label: words(v) })),
        ]}
      />,
    );
  const yesNo = (label: string, pointer: string, key: keyof EuForm) =>
    choose(label, pointer, key, ['yes', 'no'], (v) => t(`apply.${v}`));

  const title = t('eu.form.title');
  return (
    <div className="wizard">
      <div className="wizard-body">
        <form aria-label={title} onSubmit={(e) => void onSubmit(e)} noValidate className="wizard-form">
          <ProblemProvider problem={problem}>
            <ProblemSummary
              problem={problem}
              fields={[
                '/title',
                '/exporter',
                '/recipient',
                '/purpose',
                '/dataCategories',
                '/materials',
                '/facts',
              ]}
            />
            <h2>{t('eu.form.parties')}</h2>
            {text(t('apply.field.title'), '/title', 'title')}
            <fieldset>
              <legend>{t('eu.form.exporter')}</legend>
              <p className="hint">{t('apply.exporterOrg', { org })}</p>
              {text(t('apply.field.exporterName'), '/exporter/name', 'exporterName')}
              {text(t('eu.form.exporterCountry'), '/facts/exporter/country', 'exporterCountry', {
                hint: t('apply.hint.country'),
              })}
              {choose(
                t('eu.form.exporterRole'),
                '/facts/exporter/role',
                'exporterRole',
                ['controller', 'processor'],
                (v) => t(`eu.role.${v}`),
              )}
              {yesNo(
                t('eu.form.publicAuthority'),
                '/facts/exporter/publicAuthorityExercisingPublicPowers',
                'publicAuthority',
              )}
            </fieldset>
            <fieldset>
              <legend>{t('eu.form.importer')}</legend>
              {text(t('apply.field.recipientId'), '/recipient/id', 'recipientId', {
                hint: t('apply.hint.recipientId'),
              })}
              {text(t('apply.field.recipientName'), '/recipient/name', 'recipientName')}
              {text(t('eu.form.importerCountry'), '/facts/importer/country', 'country', {
                hint: t('apply.hint.country'),
              })}
              {text(t('apply.field.contactEmail'), '/recipient/contactEmail', 'contactEmail')}
              {choose(
                t('eu.form.importerRole'),
                '/facts/importer/role',
                'importerRole',
                ['controller', 'processor'],
                (v) => t(`eu.role.${v}`),
              )}
              {yesNo(t('eu.form.sameEntity'), '/facts/importer/sameLegalEntityAsExporter', 'sameEntity')}
            </fieldset>
            <h2>{t('eu.form.data')}</h2>
            {text(t('apply.field.purpose'), '/purpose', 'purpose', { multiline: true })}
            {text(t('eu.form.category'), '/dataCategories/0/category', 'category')}
            {text(t('eu.form.fields'), '/dataCategories/0/fields', 'fields', { hint: t('apply.hint.list') })}
            {choose(
              t('eu.form.special'),
              '/facts/specialCategories',
              'special',
              ['none', ...specialCategories],
              (v) => t(`eu.special.${v}`),
            )}
            {yesNo(t('eu.form.hrData'), '/facts/hrData', 'hrData')}
            <h2>{t('eu.form.transfer')}</h2>
            {text(t('eu.form.transferDate'), '/facts/transferDate', 'transferDate', { type: 'date' })}
            {choose(
              t('eu.form.disclosureMeans'),
              '/facts/disclosureMeans',
              'disclosureMeans',
              ['transmission', 'remote_access', 'cloud_storage', 'data_subject_direct'],
              (v) => t(`eu.means.${v}`),
            )}
            <fieldset>
              <legend>{t('eu.form.scc')}</legend>
              {choose(t('eu.form.sccUsed'), '/facts/scc', 'scc', ['none', 'yes'], (v) =>
                t(`eu.form.tool.${v}`),
              )}
              {form.scc === 'yes' && (
                <>
                  {yesNo(t('eu.form.sccSigned'), '/facts/scc/signed', 'sccSigned')}
                  {choose(
                    t('eu.form.sccModule'),
                    '/facts/scc/module',
                    'sccModule',
                    ['M1', 'M2', 'M3', 'M4'],
                    (v) => t(`eu.module.${v}`),
                  )}
                  {yesNo(t('eu.form.sccUnmodified'), '/facts/scc/textUnmodified', 'sccUnmodified')}
                  {yesNo(t('eu.form.sccAnnexes'), '/facts/scc/annexesComplete', 'sccAnnexes')}
                </>
              )}
            </fieldset>
            <fieldset>
              <legend>{t('eu.form.otherTools')}</legend>
              {choose(t('eu.form.bcr'), '/facts/bcr', 'bcr', ['none'], (v) => t(`eu.form.tool.${v}`))}
              {choose(t('eu.form.otherArt46'), '/facts/otherArt46', 'otherArt46', ['none'], (v) =>
                t(`eu.form.tool.${v}`),
              )}
            </fieldset>
            <fieldset>
              <legend>{t('eu.form.tia')}</legend>
              {yesNo(t('eu.form.tiaDone'), '/facts/tia/done', 'tiaDone')}
              {form.tiaDone === 'yes' && (
                <>
                  {text(t('eu.form.tiaDate'), '/facts/tia/date', 'tiaDate', { type: 'date' })}
                  {choose(
                    t('eu.form.tiaOutcome'),
                    '/facts/tia/outcome',
                    'tiaOutcome',
                    ['effective', 'effective_with_measures', 'not_effective'],
                    (v) => t(`eu.tia.${v}`),
                  )}
                </>
              )}
            </fieldset>
            {upper(form.country) === 'US' && (
              <fieldset>
                <legend>{t('eu.form.dpf')}</legend>
                {choose(
                  t('eu.form.dpfStatus'),
                  '/facts/importer/scopeFacts/dpf/status',
                  'dpfStatus',
                  dpfStatuses,
                  (v) => t(`eu.dpf.${v}`),
                )}
                {choose(
                  t('eu.form.dpfCovered'),
                  '/facts/importer/scopeFacts/dpf/coveredData',
                  'dpfCovered',
                  ['hr', 'non_hr', 'both'],
                  (v) => t(`eu.dpfCovered.${v}`),
                )}
                {yesNo(t('eu.form.dpfEntity'), '/facts/importer/scopeFacts/dpf/entityMatches', 'dpfEntity')}
              </fieldset>
            )}
            <fieldset>
              <legend>{t('eu.form.derogation')}</legend>
              {choose(t('eu.form.derogationUsed'), '/facts/derogation', 'derogation', ['none', 'yes'], (v) =>
                t(`eu.form.tool.${v}`),
              )}
              {form.derogation === 'yes' && (
                <>
                  {choose(
                    t('eu.form.derogationBasis'),
                    '/facts/derogation/basis',
                    'derogationBasis',
                    derogationBases,
                    (v) => t(`eu.basis.${v}`),
                  )}
                  {choose(
                    t('eu.form.frequency'),
                    '/facts/derogation/frequency',
                    'derogationFrequency',
                    ['occasional', 'repetitive', 'systematic'],
                    (v) => t(`eu.frequency.${v}`),
                  )}
                </>
              )}
            </fieldset>
            <h2>{t('eu.form.materials')}</h2>
            {materials.length === 0 ? (
              <p>{t('eu.form.noMaterials')}</p>
            ) : (
              materials.map((m, n) => (
                <DropZone
                  key={m.kind}
                  label={`${t(`eu.material.${m.kind}`, { defaultValue: m.kind })}${
                    m.required ? '' : ` (${t('eu.form.optional')})`
                  }`}
                  pointer={`/materials/${n}`}
                  testId={`material-${m.kind}`}
                  value={uploads[m.kind]}
                  onUploaded={(d) => setUploads((u) => ({ ...u, [m.kind]: d }))}
                />
              ))
            )}
            <div className="wizard-buttons">
              <button type="submit" disabled={busy}>
                {busy ? t('common.sending') : t('eu.form.submit')}
              </button>
            </div>
          </ProblemProvider>
        </form>
        <EuRoutePanel check={check.data} pending={check.isFetching} problem={check.error} />
      </div>
    </div>
  );
}

/** The live eu-gdpr route check: route, TIA required, rules with reason and source, needs, materials. */
export function EuRoutePanel({
  check,
  pending,
  problem,
}: {
  check?: EuRouteCheck;
  pending: boolean;
  problem?: unknown;
}) {
  const { t } = useTranslation();
  return (
    <aside className="route-panel card" aria-labelledby="eu-route-title" data-testid="route-check">
      <h2 id="eu-route-title">{t('apply.route.title')}</h2>
      <p className="hint">{pending ? t('apply.route.checking') : t('apply.route.live')}</p>
      {problem instanceof ProblemError && <ProblemSummary problem={problem.problem} />}
      <div aria-live="polite">
        <p>
          <strong>{t('transfer.route')}:</strong>{' '}
          <span data-testid="route">
            {check ? t(`route.${check.route}`, { defaultValue: check.route }) : t('apply.route.undetermined')}
          </span>
        </p>
        {check && (
          <p data-testid="tia-required">
            <strong>{t('eu.tiaRequired')}:</strong>{' '}
            {check.tiaRequired === null
              ? t('eu.form.unknown')
              : t(check.tiaRequired ? 'apply.yes' : 'apply.no')}
          </p>
        )}
        <RuleList rules={check?.rules ?? []} />
      </div>
      {(check?.needsInfo.length ?? 0) > 0 && (
        <>
          <h3>{t('apply.route.needsInfo')}</h3>
          <ul>
            {check!.needsInfo.map((n) => (
              <li key={n.field} data-testid="needs-info">
                <code>{n.field}</code>: {n.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {(check?.materials.length ?? 0) > 0 && (
        <>
          <h3>{t('apply.route.materials')}</h3>
          <ul>
            {check!.materials.map((m) => (
              <li key={m.kind}>
                {t(`eu.material.${m.kind}`, { defaultValue: m.kind })}
                {m.required ? '' : ` (${t('eu.form.optional')})`}
              </li>
            ))}
          </ul>
        </>
      )}
      {check && (check.notes.length ?? 0) > 0 && (
        <>
          <h3>{t('eu.notes')}</h3>
          <ul>
            {check.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
      {check && <p className="hint">{t('apply.route.policy', check.policy)}</p>}
    </aside>
  );
}

/** Rules as evaluated: id, outcome, reason and source. */
export function RuleList({
  rules,
}: {
  rules: { id: string; reason: string; source?: string; outcome?: string }[];
}) {
  const { t } = useTranslation();
  if (rules.length === 0) return null;
  return (
    <ul className="rules">
      {rules.map((r, n) => (
        <li
          key={`${r.id}-${n}`}
          data-testid="route-rule"
          className={r.outcome === 'holds' ? 'rule-holds' : undefined}
        >
          <strong>{r.id}</strong>
          {r.outcome ? ` (${t(`eu.outcome.${r.outcome}`, { defaultValue: r.outcome })})` : ''}: {r.reason}
          {r.source && (
            <span className="hint rule-source">
              {t('eu.source')}: {r.source}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

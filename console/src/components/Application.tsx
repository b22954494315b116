/**
 * The application in readable sections (exporter, recipient, purpose, data, volumes, the transfer itself,
 * safeguards, exemption), its materials with open/download, and what the engine found on its own: the route
 * rule that fired and why, facts it still needs, and problems with materials.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Transfer } from '../api/client';
import type { components } from '../api/schema';
import { formatInstant } from '../format';
import { DocumentButtons } from './Document';

type App = Partial<components['schemas']['TransferApplication']>;

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  const shown = rows.filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (shown.length === 0) return null;
  return (
    <dl className="facts">
      {shown.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const yesNo = (t: TFunction, v: boolean | undefined) =>
  v === undefined ? undefined : v ? t('case.app.yes') : t('case.app.no');
const num = (v: number | undefined, lng: string) =>
  v === undefined ? undefined : new Intl.NumberFormat(lng).format(v);

export function ApplicationSections({ tr }: { tr: Transfer }) {
  const { t, i18n } = useTranslation();
  const app = tr.application as App;
  const lng = i18n.language;
  return (
    <section aria-labelledby="application-title">
      <h2 id="application-title">{t('case.app.title')}</h2>
      {app.exporter && (
        <>
          <h3>{t('case.app.exporter')}</h3>
          <Facts
            rows={[
              [t('case.app.name'), app.exporter.name],
              [t('case.app.org'), app.exporter.org],
              [t('case.app.creditCode'), app.exporter.creditCode],
              [t('case.app.isCIIO'), yesNo(t, app.exporter.isCIIO)],
            ]}
          />
        </>
      )}
      {app.recipient && (
        <>
          <h3>{t('case.app.recipient')}</h3>
          <Facts
            rows={[
              [t('case.app.name'), app.recipient.name],
              [t('case.app.recipientId'), app.recipient.id],
              [t('case.app.country'), app.recipient.country],
              [t('case.app.contactEmail'), app.recipient.contactEmail],
              [
                t('case.app.certifications'),
                app.recipient.certifications?.length
                  ? app.recipient.certifications.join(', ')
                  : t('case.app.none'),
              ],
            ]}
          />
        </>
      )}
      {app.purpose && (
        <>
          <h3>{t('case.app.purpose')}</h3>
          <p>{app.purpose}</p>
        </>
      )}
      {app.dataCategories && app.dataCategories.length > 0 && (
        <table>
          <caption>{t('case.app.dataCategories')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('case.app.category')}</th>
              <th scope="col">{t('case.app.sensitive')}</th>
              <th scope="col">{t('case.app.fields')}</th>
            </tr>
          </thead>
          <tbody>
            {app.dataCategories.map((c, i) => (
              <tr key={`${c.category}-${i}`}>
                <th scope="row">{c.category}</th>
                <td>{yesNo(t, c.sensitive)}</td>
                <td>{c.fields?.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {app.volume && (
        <>
          <h3>{t('case.app.volume')}</h3>
          <Facts
            rows={[
              [t('case.app.individualsYtd'), num(app.volume.individualsYtd, lng)],
              [t('case.app.sensitiveIndividualsYtd'), num(app.volume.sensitiveIndividualsYtd, lng)],
              [t('case.app.importantData'), yesNo(t, app.volume.importantData)],
            ]}
          />
        </>
      )}
      {app.transfer && (
        <>
          <h3>{t('case.app.transfer')}</h3>
          <Facts
            rows={[
              [t('case.app.method'), app.transfer.method],
              [t('case.app.frequency'), app.transfer.frequency],
              [t('case.app.storageLocation'), app.transfer.storageLocation],
              [t('case.app.retentionDays'), num(app.transfer.retentionDays, lng)],
              [
                t('case.app.onwardTransfers'),
                app.transfer.onwardTransfers?.length
                  ? app.transfer.onwardTransfers
                      .map((o) => `${o.recipientName} (${o.country}${o.mechanism ? `, ${o.mechanism}` : ''})`)
                      .join('; ')
                  : t('case.app.none'),
              ],
              [t('case.app.contractTerm'), num(app.contractTermMonths, lng)],
            ]}
          />
        </>
      )}
      {app.safeguards && (
        <>
          <h3>{t('case.app.safeguards')}</h3>
          <Facts
            rows={[
              [t('case.app.encryptionInTransit'), yesNo(t, app.safeguards.encryptionInTransit)],
              [t('case.app.encryptionAtRest'), yesNo(t, app.safeguards.encryptionAtRest)],
              [
                t('case.app.keysHeldBy'),
                app.safeguards.keysHeldBy &&
                  t(`case.app.keys.${app.safeguards.keysHeldBy}`, {
                    defaultValue: app.safeguards.keysHeldBy,
                  }),
              ],
              [t('case.app.pseudonymised'), yesNo(t, app.safeguards.pseudonymised)],
            ]}
          />
        </>
      )}
      {app.exemption && (
        <>
          <h3>{t('case.app.exemption')}</h3>
          <Facts
            rows={[
              [t('case.app.basis'), app.exemption.basis.replace(/_/g, ' ')],
              [t('case.app.justification'), app.exemption.justification],
            ]}
          />
        </>
      )}
    </section>
  );
}

export function Materials({ tr }: { tr: Transfer }) {
  const { t } = useTranslation();
  const materials = (tr.application as App).materials ?? [];
  const attached = new Set(materials.map((m) => m.kind));
  const missing = tr.materialsRequired.filter((k) => !attached.has(k as never));
  const kind = (k: string) => t(`case.material.${k}`, { defaultValue: k.replace(/_/g, ' ') });
  return (
    <section aria-labelledby="materials-title">
      <h2 id="materials-title">{t('case.materials.title')}</h2>
      {materials.length === 0 ? (
        <p>{t('case.materials.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('case.materials.kind')}</th>
              <th scope="col">{t('case.materials.file')}</th>
              <th scope="col">{t('case.materials.issuedOn')}</th>
              <th scope="col">{t('case.materials.digest')}</th>
              <th scope="col">{t('case.materials.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {materials.map((m) => (
              <tr key={`${m.kind}-${m.documentId}`}>
                <th scope="row">{kind(m.kind)}</th>
                <td>
                  <code>{m.kind}</code>
                </td>
                <td>{m.issuedOn ?? '—'}</td>
                <td>
                  <code title={m.documentId}>{m.documentId.slice(7, 19)}…</code>
                </td>
                <td>
                  <DocumentButtons id={m.documentId} name={m.kind} label={kind(m.kind)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {missing.length > 0 && (
        <p className="problem">{t('case.materials.missing', { kinds: missing.map(kind).join(', ') })}</p>
      )}
    </section>
  );
}

export function Findings({ tr }: { tr: Transfer }) {
  const { t } = useTranslation();
  const route = tr.route;
  return (
    <section aria-labelledby="findings-title">
      <h2 id="findings-title">{t('case.findings.title')}</h2>
      {route ? (
        <>
          <p>
            {route.route
              ? t('case.findings.route', {
                  route: t(`route.${route.route}`, { defaultValue: route.route }),
                  policy: `${route.policy.id} ${route.policy.version}`,
                })
              : t('case.findings.noRoute')}
          </p>
          {route.rules.length > 0 && (
            <ul>
              {route.rules.map((r) => (
                <li key={r.id}>
                  {t('case.findings.rule', { id: r.id })}:{' '}
                  {t(`apply.rules.${r.id.replace(/[^A-Za-z0-9-]/g, '_')}`, { defaultValue: r.reason })}
                </li>
              ))}
            </ul>
          )}
          {route.needsInfo.length > 0 && (
            <>
              <h3>{t('case.findings.needsInfo')}</h3>
              <ul>
                {route.needsInfo.map((n) => (
                  <li key={n.field}>
                    <code>{n.field}</code>:{' '}
                    {t(`apply.need.${n.field.replace(/\./g, '_')}`, { defaultValue: n.reason })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      ) : (
        <p>{t('case.findings.notRouted')}</p>
      )}
      <h3>{t('case.findings.materials')}</h3>
      {tr.findings.length === 0 ? (
        <p>{t('case.findings.noProblems')}</p>
      ) : (
        <ul>
          {tr.findings.map((f, i) => (
            <li key={`${f.material}-${i}`}>
              <strong>
                {t(`case.material.${f.material}`, { defaultValue: f.material.replace(/_/g, ' ') })}
              </strong>{' '}
              ({f.problem.replace(/_/g, ' ')}): {f.detail}
            </li>
          ))}
        </ul>
      )}
      {tr.review && (
        <>
          <h3>{t('case.findings.review', { by: tr.review.by })}</h3>
          <ul>
            {tr.review.checklist.map((c) => (
              <li key={c.item}>
                <code>{c.item}</code>: {t(`review.${c.result}`, { defaultValue: c.result })}
                {c.note ? ` — ${c.note}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The agreement the recipient reads and signs, and the signed copy once uploaded. */
export function Agreement({ tr }: { tr: Transfer }) {
  const { t, i18n } = useTranslation();
  const a = tr.agreement;
  if (!a) return null;
  return (
    <section aria-labelledby="agreement-title">
      <h2 id="agreement-title">{t('case.agreement.title')}</h2>
      <p>
        {t('case.agreement.rendered')} <code title={a.digest}>{a.digest.slice(0, 16)}…</code>{' '}
        <DocumentButtons id={a.documentId} name="agreement" label={t('case.agreement.document')} />
      </p>
      {a.signedDocumentId ? (
        <p>
          {t('case.agreement.signed', {
            signer: a.signer ?? '—',
            title: a.signerTitle ?? '',
            date: a.signedAt ?? '—',
          })}{' '}
          <DocumentButtons
            id={a.signedDocumentId}
            name="signed-agreement"
            label={t('case.agreement.signedDocument')}
          />
        </p>
      ) : (
        <p>{t('case.agreement.unsigned')}</p>
      )}
      {a.countersignedAt && (
        <p>{t('case.agreement.countersigned', { at: formatInstant(a.countersignedAt, i18n.language) })}</p>
      )}
      {tr.conditions.length > 0 && (
        <>
          <h3>{t('case.conditions.title')}</h3>
          <ul>
            {tr.conditions.map((c) => (
              <li key={c.id}>
                {c.text} — {c.acknowledgedAt ? t('case.conditions.acknowledged') : t('case.conditions.open')}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

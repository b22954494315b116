/**
 * The evidence pack of one transfer (GET /v1/transfers/:id/evidence): the verification result first, then the
 * decisions, the documents with their digests, the audit chain, and the whole pack as a JSON download.
 */
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { saveBlob } from '../components/Document';
import { ProblemSummary } from '../components/form';
import { formatInstant } from '../format';
import { Link } from '../router';
import { decisionWords, roleWords } from '../words';
import { useProblem } from './common';

const short = (hash: string | null) => (hash ? `${hash.slice(0, 12)}…` : '—');

export function EvidencePage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const pack = useQuery({
    queryKey: ['evidence', id],
    queryFn: () => unwrap(api.GET('/v1/transfers/{id}/evidence', { params: { path: { id } } })),
  });
  const problem = useProblem(pack.error);
  const lng = i18n.language;
  const back = (
    <p>
      <Link to={`/transfers/${id}`}>{t('case.evidence.back')}</Link>
    </p>
  );
  if (pack.isPending) return <p role="status">{t('common.loading')}</p>;
  if (!pack.data)
    return (
      <>
        <h1>{t('case.evidence.title')}</h1>
        <ProblemSummary problem={problem} />
        {back}
      </>
    );
  const e = pack.data;
  const v = e.verification;
  const download = () =>
    saveBlob(
      new Blob([JSON.stringify(e, null, 2)], { type: 'application/json' }),
      `evidence-${e.transferId}.json`,
    );
  const title = (e.application as { title?: string } | null)?.title;
  return (
    <>
      <h1>{t('case.evidence.title')}</h1>
      {title && <p className="lead">{title}</p>}
      {back}
      <section
        aria-labelledby="verification-title"
        className={v.ok ? 'verification ok' : 'verification failed'}
        data-testid="verification"
      >
        <h2 id="verification-title">{v.ok ? t('case.evidence.verified') : t('case.evidence.notVerified')}</h2>
        <ul>
          <li>
            {v.chain.ok
              ? t('case.evidence.chainOk', { count: v.chain.entries })
              : t('case.evidence.chainBroken', { count: v.chain.entries, where: v.chain.broken ?? '' })}
          </li>
          <li>
            {v.documents.ok
              ? t('case.evidence.documentsOk', { count: v.documents.checked })
              : t('case.evidence.documentsBroken', { failures: v.documents.failures.join('; ') })}
          </li>
        </ul>
        <p className="hint">
          {t('case.evidence.generated', {
            at: formatInstant(e.generatedAt, lng),
            status: t(`status.${e.status}`, { defaultValue: e.status }),
          })}{' '}
          {e.workflowRetained ? '' : t('case.evidence.notRetained')}
        </p>
        <button type="button" onClick={download}>
          {t('case.evidence.download')}
        </button>
      </section>

      <section aria-labelledby="ev-decisions">
        <h2 id="ev-decisions">{t('case.evidence.decisions')}</h2>
        {e.decisions.length === 0 ? (
          <p>{t('case.history.empty')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('case.evidence.when')}</th>
                <th scope="col">{t('case.evidence.what')}</th>
                <th scope="col">{t('case.evidence.who')}</th>
                <th scope="col">{t('case.evidence.why')}</th>
              </tr>
            </thead>
            <tbody>
              {e.decisions.map((d, i) => (
                <tr key={`${d.at}-${i}`}>
                  <td>
                    <time dateTime={d.at}>{formatInstant(d.at, lng)}</time>
                  </td>
                  <td>{decisionWords(t, d.action)}</td>
                  <td>
                    {d.by} ({roleWords(t, d.role)})
                  </td>
                  <td>{d.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="ev-documents">
        <h2 id="ev-documents">{t('case.evidence.documents')}</h2>
        {e.documents.length === 0 ? (
          <p>{t('case.evidence.noDocuments')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('case.evidence.digest')}</th>
                <th scope="col">{t('case.evidence.mediaType')}</th>
                <th scope="col">{t('case.evidence.size')}</th>
                <th scope="col">{t('case.evidence.stored')}</th>
                <th scope="col">{t('case.evidence.check')}</th>
              </tr>
            </thead>
            <tbody>
              {e.documents.map((d) => (
                <tr key={d.id}>
                  <td>
                    <code className="digest">{d.digest}</code>
                  </td>
                  <td>{d.mediaType}</td>
                  <td>{new Intl.NumberFormat(lng).format(d.size)}</td>
                  <td>{formatInstant(d.createdAt, lng)}</td>
                  <td>
                    {d.verified
                      ? t('case.evidence.docOk')
                      : `${t('case.evidence.docBroken')} ${d.problem ?? ''}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="ev-chain">
        <h2 id="ev-chain">{t('case.evidence.chain')}</h2>
        {e.chain.length === 0 ? (
          <p>{t('case.history.empty')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('case.evidence.when')}</th>
                <th scope="col">{t('case.evidence.what')}</th>
                <th scope="col">{t('case.evidence.who')}</th>
                <th scope="col">{t('case.evidence.hash')}</th>
                <th scope="col">{t('case.evidence.prevHash')}</th>
              </tr>
            </thead>
            <tbody>
              {e.chain.map((c) => (
                <tr key={c.seq}>
                  <td>{c.seq}</td>
                  <td>
                    <time dateTime={c.at}>{formatInstant(c.at, lng)}</time>
                  </td>
                  <td>
                    {decisionWords(t, c.action)}
                    {c.summary ? ` — ${c.summary}` : ''}
                  </td>
                  <td>
                    {c.actor} ({roleWords(t, c.role)})
                  </td>
                  <td>
                    <code title={c.hash}>{short(c.hash)}</code>
                  </td>
                  <td>
                    <code title={c.prevHash ?? ''}>{short(c.prevHash)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

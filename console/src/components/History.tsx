/**
 * The history: who did what, when and why, from the audit chain (GET /v1/transfers/:id/history), with the chain's
 * links checked here (each entry names the hash of the one before). Recipients do not read the audit chain; they
 * see the decisions the transfer records.
 */
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Transfer } from '../api/client';
import { formatInstant } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { decisionWords, roleWords } from '../words';
import { ProblemSummary } from './form';
import { useProblem } from '../pages/common';

interface Entry {
  seq: number;
  hash: string;
  prevHash: string | null;
}

/** Where the chain's links break (an entry whose prevHash is not the previous entry's hash), if anywhere. */
export function brokenLink(entries: Entry[]): number | undefined {
  for (let i = 0; i < entries.length; i++) {
    const expected = i === 0 ? null : entries[i - 1]!.hash;
    if (entries[i]!.prevHash !== expected) return entries[i]!.seq;
  }
  return undefined;
}

export function History({ tr }: { tr: Transfer }) {
  const session = useSession();
  return session?.role === 'recipient' ? <Decisions tr={tr} /> : <Chain id={tr.id} />;
}

function Chain({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const history = useQuery({
    queryKey: ['history', id],
    queryFn: () => unwrap(api.GET('/v1/transfers/{id}/history', { params: { path: { id } } })),
    refetchInterval: 5_000,
  });
  const entries = history.data?.entries ?? [];
  const broken = brokenLink(entries);
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('history.title')}</h2>
      <ProblemSummary problem={useProblem(history.error)} />
      {history.data && entries.length > 0 && (
        <p className={broken === undefined ? 'chain-ok' : 'problem'} data-testid="chain-status">
          {broken === undefined
            ? t('case.history.chainOk', { count: entries.length })
            : t('case.history.chainBroken', { seq: broken })}{' '}
          <Link to={`/transfers/${id}/evidence`}>{t('case.history.evidenceLink')}</Link>
        </p>
      )}
      {history.isPending ? (
        <p role="status">{t('common.loading')}</p>
      ) : entries.length === 0 ? (
        <p>{t('case.history.empty')}</p>
      ) : (
        <ol className="history">
          {entries.map((e) => (
            <li key={e.seq}>
              <time dateTime={e.at}>{formatInstant(e.at, i18n.language)}</time>{' '}
              <strong>{decisionWords(t, e.action)}</strong> — {e.actor} ({roleWords(t, e.role)})
              {e.summary ? `: ${e.summary}` : ''}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Decisions({ tr }: { tr: Transfer }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('history.title')}</h2>
      <p className="hint">{t('case.history.recipientNote')}</p>
      {tr.decisions.length === 0 ? (
        <p>{t('case.history.empty')}</p>
      ) : (
        <ol className="history">
          {tr.decisions.map((d, i) => (
            <li key={`${d.at}-${i}`}>
              <time dateTime={d.at}>{formatInstant(d.at, i18n.language)}</time>{' '}
              <strong>{decisionWords(t, d.action)}</strong> — {d.by} ({roleWords(t, d.role)})
              {d.reason ? `: ${d.reason}` : ''}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

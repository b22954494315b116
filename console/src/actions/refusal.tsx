/**
 * A refusal that outlives its form: a 409 (wrong phase, already decided) means the transfer moved on, so the form
 * that sent it may vanish at the next refresh. The case page keeps the refusal and says, in words, what the
 * transfer awaits now and from whom.
 */
import { createContext, useContext, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem, Transfer } from '../api/client';
import { formatInstant } from '../format';
import { awaitingWords } from '../words';

const RefusalContext = createContext<(p: Problem | undefined) => void>(() => undefined);

/** The reporter a form calls with its 409s (a no-op outside a case page). */
export const useReportRefusal = () => useContext(RefusalContext);

export function RefusalProvider({ tr, children }: { tr: Transfer; children: ReactNode }) {
  const [refusal, setRefusal] = useState<Problem>();
  return (
    <RefusalContext.Provider value={setRefusal}>
      {refusal && <RefusalNotice problem={refusal} tr={tr} onDismiss={() => setRefusal(undefined)} />}
      {children}
    </RefusalContext.Provider>
  );
}

function RefusalNotice({
  problem,
  tr,
  onDismiss,
}: {
  problem: Problem;
  tr: Transfer;
  onDismiss: () => void;
}) {
  const { t, i18n } = useTranslation();
  const kind = problem.type.replace(/^urn:xborder:problem:/, '');
  const awaits = awaitingWords(t, tr.awaiting);
  const next = tr.deadlines.find((d) => !d.paused && d.dueAt && tr.awaiting.some((a) => a.role === d.actor));
  return (
    <div className="problem" role="alert" data-testid="refusal">
      <p>
        <strong>{t(`problem.${kind}`, { defaultValue: problem.title })}</strong> {problem.detail}
      </p>
      <p>
        {t('case.refusal.now', { status: t(`status.${tr.status}`, { defaultValue: tr.status }) })}{' '}
        {awaits ? t('case.refusal.awaits', { awaits }) : t('case.refusal.awaitsNothing')}
        {next?.dueAt ? ` ${t('case.refusal.due', { due: formatInstant(next.dueAt, i18n.language) })}` : ''}
      </p>
      <button type="button" className="secondary" onClick={onDismiss}>
        {t('case.refusal.dismiss')}
      </button>
    </div>
  );
}

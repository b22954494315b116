/** The recipient's acknowledgement of the conditions of approval (each listed; one action acknowledges them all). */
import { useTranslation } from 'react-i18next';
import type { Transfer } from '../api/client';
import { ConfirmAction } from './forms';

export function AcknowledgeConditions({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const open = transfer.conditions.filter((c) => !c.acknowledgedAt);
  return (
    <ConfirmAction
      transfer={transfer}
      id="acknowledge"
      path="/v1/transfers/{id}/acknowledge-conditions"
      title={t('action.acknowledge_conditions')}
      submit={t('case.acknowledge.submit')}
    >
      <p>{t('case.acknowledge.intro')}</p>
      <ol>
        {open.map((c) => (
          <li key={c.id}>{c.text}</li>
        ))}
      </ol>
    </ConfirmAction>
  );
}

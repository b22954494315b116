/** Names of actions, steps and roles in the user's language, whichever catalogue section holds them. */
import type { TFunction } from 'i18next';

/** An action as API.md spells it (`risk-decision`) or as the code does (`risk_decision`), in words. */
export function actionWords(t: TFunction, action: string): string {
  const key = action.replace(/-/g, '_');
  return t(`case.action.${key}`, {
    defaultValue: t(`action.${key}`, { defaultValue: key.replace(/_/g, ' ') }),
  });
}

export const roleWords = (t: TFunction, role: string): string => t(`role.${role}`, { defaultValue: role });

export const stepWords = (t: TFunction, step: string): string =>
  t(`case.step.${step}`, { defaultValue: t(`step.${step}`, { defaultValue: step.replace(/_/g, ' ') }) });

/** What the transfer awaits, in words: "Sign the agreement from the recipient; …", or undefined when nothing. */
export function awaitingWords(
  t: TFunction,
  awaiting: { role: string; action: string }[],
): string | undefined {
  if (awaiting.length === 0) return undefined;
  return awaiting
    .map((a) => t('transfer.awaitingItem', { action: actionWords(t, a.action), role: roleWords(t, a.role) }))
    .join('; ');
}

/** A recorded decision (`risk-decision.approve_with_conditions`) in words: the action, then its outcome. */
export function decisionWords(t: TFunction, action: string): string {
  const [name = action, outcome] = action.split('.');
  const words = actionWords(t, name);
  return outcome
    ? `${words}: ${t(`case.outcome.${outcome}`, {
        defaultValue: t(`decision.${outcome}`, { defaultValue: outcome.replace(/_/g, ' ') }),
      })}`
    : words;
}

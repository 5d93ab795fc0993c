/**
 * Why a service refused. The code is a key in the i18n files, so every caller (chat, admin panel)
 * can tell the person in their own language what went wrong and what to do next.
 */
export type CrmErrorCode =
  | 'forbidden'
  | 'notFound.customer'
  | 'notFound.stage'
  | 'notFound.followUp'
  | 'notFound.user'
  | 'phone.invalid'
  | 'phone.taken'
  | 'referrer.unknown'
  | 'referrer.ambiguous'
  | 'referrer.self'
  | 'customer.nameRequired'
  | 'stage.dormantByHand'
  | 'stage.inactive'
  | 'deal.amountInvalid'
  | 'notFound.opportunity'
  | 'opportunity.nameRequired'
  | 'opportunity.targetRequired'
  | 'opportunity.closed'
  | 'opportunity.reasonRequired'
  | 'opportunity.valueInvalid'
  | 'opportunity.probabilityInvalid'
  | 'followUp.notActive'
  | 'followUp.dueInvalid'
  | 'linkCode.invalid'
  | 'chat.alreadyLinked'
  | 'inUse'
  | 'notFound.organization'
  | 'organization.nameRequired'
  | 'organization.taxCodeInvalid'
  | 'organization.taxCodeTaken'
  | 'opportunityStage.inUse'
  | 'opportunityStage.lastOfKind'
  | 'outreach.notConfigured'
  | 'outreach.noAddress'
  | 'outreach.textRequired'
  | 'invalid';

export class CrmError extends Error {
  constructor(
    readonly code: CrmErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'CrmError';
  }
}

/**
 * True for MongoDB's duplicate-key error (E11000): a unique key already taken, which for chot's
 * once-only writes means another process or request got there first.
 */
export function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && ((e as { code?: number }).code === 11000 || String(e).includes('E11000'));
}

export function isCrmError(e: unknown, code?: CrmErrorCode): e is CrmError {
  return e instanceof CrmError && (code === undefined || e.code === code);
}

/**
 * A schema limit (a need longer than the model allows, a value of the wrong type) broken by input
 * as a refusal naming the fields, instead of an unexpected error: callers show it like any other.
 */
export function refusalFromValidation(e: unknown): CrmError | undefined {
  const errors = (e as { name?: string; errors?: Record<string, unknown> } | null)?.errors;
  if ((e as { name?: string } | null)?.name !== 'ValidationError' || !errors) return undefined;
  return new CrmError('invalid', { field: Object.keys(errors).join(', ') });
}

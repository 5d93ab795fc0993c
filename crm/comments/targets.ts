import type { Types } from 'mongoose';
import { COMMENT_TARGET_KINDS, type CommentTargetKind } from '../../models/comment.js';
import { getCustomerForReader } from '../customers/customers.js';
import { getOrganizationForActor } from '../organizations/organizations.js';
import { getOpportunityForActor } from '../opportunities/opportunities.js';
import { CrmError, isCrmError } from '../shared/errors.js';
import { userActor, type Actor } from '../users/actor.js';
import type { StaffUser } from '../users/users.js';

/** What a comment is about, as the chat and the panel name it: a customer, an organization or an opportunity. */
export interface CommentSubject {
  kind: CommentTargetKind;
  _id: Types.ObjectId;
  code: string;
  name: string;
}

export function isCommentTargetKind(kind: unknown): kind is CommentTargetKind {
  return COMMENT_TARGET_KINDS.includes(kind as CommentTargetKind);
}

/**
 * Loads what a comment is about for someone who may see it, or refuses: a customer's owner and
 * followers (and managers), an organization's or opportunity's viewers by their own domain's rule.
 */
export async function subjectForReader(actor: Actor, kind: unknown, id: unknown): Promise<CommentSubject> {
  if (kind === 'customer') {
    const c = await getCustomerForReader(actor, id);
    return { kind, _id: c._id, code: c.code, name: c.name };
  }
  if (kind === 'organization') {
    const o = await getOrganizationForActor(actor, id);
    return { kind, _id: o._id, code: o.code, name: o.name };
  }
  if (kind === 'opportunity') {
    const o = await getOpportunityForActor(actor, id);
    return { kind, _id: o._id, code: o.code, name: o.name };
  }
  throw new CrmError('invalid', { field: 'target' });
}

/**
 * Splits named colleagues into those who may see an organization or opportunity and those who may
 * not. Mentions there grant nothing (followers are a customer's), so the others are left out of
 * the comment and the author is told their names.
 */
export async function splitByVisibility(subject: CommentSubject, staff: StaffUser[]): Promise<{ visible: StaffUser[]; unseen: StaffUser[] }> {
  const out = { visible: [] as StaffUser[], unseen: [] as StaffUser[] };
  for (const user of staff) {
    const sees = await subjectForReader(userActor(user), subject.kind, subject._id).then(
      () => true,
      (e) => (isCrmError(e, 'forbidden') ? false : Promise.reject(e)),
    );
    (sees ? out.visible : out.unseen).push(user);
  }
  return out;
}

import React from 'react';
import { useTranslation } from 'adminjs';
import { ValueGroup } from '@adminjs/design-system';

const KNOWN = ['create', 'edit', 'delete', 'reorder', 'resetPassword', 'linkCode', 'changeOwnPassword', 'bulkAssignOwner', 'bulkChangeStage', 'bulkAddToGroup', 'commit'];

/** One audit line as a sentence in the reader's language ("Lan đã sửa khách hàng KH000012: tên"). */
export function useAuditSentence() {
  const { tm, tl, translateProperty, i18n } = useTranslation();
  const lower = (text) => String(text ?? '').toLocaleLowerCase(i18n?.language || 'vi');
  return (story, resourceId) => {
    if (!story) return '';
    const subject = lower(tl('subject.' + story.subject));
    const fields = (story.fields || []).map((f) => lower(translateProperty(f, resourceId))).join(', ');
    const totals = story.totals || {};
    const vars = {
      who: story.who === 'system' ? tm('auditSystem') : story.who, subject, record: story.record || '', fields, count: story.count ?? '', target: story.target || '', action: story.action,
      created: totals.created ?? 0, merged: totals.merged ?? 0, refused: totals.refused ?? 0,
    };
    const key = !KNOWN.includes(story.action) ? 'auditOther' : story.action === 'edit' && !fields ? 'auditEditNoFields' : 'audit_' + story.action;
    return tm(key, resourceId, vars).replace(/\s+([:,.])/g, '$1').replace(/\s{2,}/g, ' ').trim();
  };
}

const AuditSentence = ({ record, property, where }) => {
  const sentence = useAuditSentence();
  const { translateProperty } = useTranslation();
  let story = null;
  try {
    story = JSON.parse(record?.params?.story || 'null');
  } catch {
    story = null;
  }
  const text = <span data-testid="audit-sentence">{sentence(story, property.resourceId)}</span>;
  if (where !== 'show') return text;
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{text}</ValueGroup>;
};

export default AuditSentence;

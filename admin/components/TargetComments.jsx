import React, { useState } from 'react';
import { ApiClient, useCurrentAdmin, useNotice, useTranslation } from 'adminjs';
import { Box, Text, ValueGroup } from '@adminjs/design-system';
import { CommentItem } from './CustomerComments.jsx';
import { selectStyle, SubmitButton } from './FollowUpFields.jsx';
import { localDateTime } from './panelFormat.js';
import { postRecordAction } from './postRecordAction.js';

const api = new ApiClient();

const commentsOf = (record) => {
  try {
    return JSON.parse(record?.params?.commentsJson || '[]');
  } catch {
    return [];
  }
};

// The team's talk on an organization or opportunity page: the customer page's comment items with
// the same actions (addComment, editComment, deleteComment) posted to this record. The server puts
// the comments in `commentsJson` (show handler), already checked for who may see them.
const TargetComments = ({ property, record, resource }) => {
  const [currentAdmin] = useCurrentAdmin();
  const { tm, translateProperty } = useTranslation();
  const addNotice = useNotice();
  const [comments, setComments] = useState(commentsOf(record));
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const fmt = (value) => localDateTime(value, currentAdmin?.timezone, true);

  /** Posts one form; on success clears it and reloads the list; a refusal keeps what was typed. */
  const run = async (actionName, data, reset) => {
    setBusy(true);
    try {
      if (await postRecordAction(api, addNotice, { resourceId: resource.id, recordId: record.id, actionName, data })) {
        if (reset) reset();
        const fresh = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: 'show' });
        setComments(commentsOf(fresh.data.record));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      <Box data-testid="target-comments">
        <Box as="form" data-testid="form-comment" mb="lg" onSubmit={(e) => { e.preventDefault(); run('addComment', { text }, () => setText('')); }}>
          <textarea name="text" rows={3} placeholder={tm('cmPlaceholder')} value={text} onChange={(e) => setText(e.target.value)} style={{ ...selectStyle, marginBottom: 8 }} />
          <SubmitButton disabled={busy || !text.trim()}>{tm('cmSend')}</SubmitButton>
          <Text variant="sm" color="grey60" mt="xs">{tm('cmEditHelp')} {tm('cmTargetHelp')}</Text>
        </Box>
        <Box data-testid="comment-list">
          {comments.length ? comments.map((c) => <CommentItem key={c._id + (c.editedAt || '')} comment={c} fmt={fmt} busy={busy} run={run} tm={tm} />) : <Text color="grey60">{tm('cmNone')}</Text>}
        </Box>
      </Box>
    </ValueGroup>
  );
};

export default TargetComments;

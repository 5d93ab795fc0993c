import React, { useState } from 'react';
import { ViewHelpers } from 'adminjs';
import { Box, Button, H5, Text } from '@adminjs/design-system';
import { selectStyle, SubmitButton } from './FollowUpFields.jsx';

const h = new ViewHelpers();
const FILTERS = ['all', 'comments', 'interactions', 'stages'];
const KIND_OF_FILTER = { comments: 'comment', interactions: 'interaction', stages: 'stage' };
const box = { border: '1px solid #e4e4ea', borderRadius: 6 };

/** One comment: author, local time, text; its author edits or deletes it while the 2 hours last. */
export const CommentItem = ({ comment, fmt, busy, run, tm }) => {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(comment.text);
  return (
    <Box data-testid="comment" mb="default" p="default" style={{ background: '#f7f7fb', borderRadius: 6 }}>
      <Text variant="sm" color="grey60">
        <b style={{ color: '#1c1c38' }} data-testid="comment-author">{comment.author.name}</b> · <span data-testid="comment-time">{fmt(comment.createdAt)}</span>
        {comment.editedAt ? ` · ${tm('cmEdited')}` : ''}
      </Text>
      {editing ? (
        <Box as="form" mt="sm" onSubmit={(e) => { e.preventDefault(); run('editComment', { comment: comment._id, text }, () => setEditing(false)); }}>
          <textarea name="text" rows={2} value={text} onChange={(e) => setText(e.target.value)} style={{ ...selectStyle, marginBottom: 8 }} />
          <SubmitButton disabled={busy || !text.trim()}>{tm('cmSave')}</SubmitButton>
          <Button type="button" size="sm" variant="text" ml="sm" onClick={() => { setText(comment.text); setEditing(false); }}>{tm('cmCancel')}</Button>
        </Box>
      ) : (
        <Text mt="xs" style={{ whiteSpace: 'pre-wrap' }} data-testid="comment-text">{comment.text}</Text>
      )}
      {comment.editable && !editing && (
        <Box mt="xs">
          <Button type="button" size="sm" variant="text" data-testid="comment-edit" onClick={() => setEditing(true)}>{tm('cmEdit')}</Button>
          <Button type="button" size="sm" variant="text" data-testid="comment-delete" disabled={busy}
            onClick={() => { if (window.confirm(tm('cmConfirmDelete'))) run('deleteComment', { comment: comment._id }); }}>{tm('cmDelete')}</Button>
        </Box>
      )}
    </Box>
  );
};

/**
 * A line of the filtered history, as the chat's 📜 view tells it, with words instead of emoji (the
 * panel's font may have none). An outcome from the chat's buttons is translated; a typed one is shown as typed.
 */
const historyLine = (e, tl, tm, outcomes) => {
  if (e.kind === 'comment') return `${tm('cmFilter_comments')} · ${e.who || '—'}: ${e.text || ''}`;
  if (e.kind === 'stage') return `${tm('cmFilter_stages')} · ${e.from || '—'} → ${e.to || '—'} (${e.who || tm('cmSystem')})`;
  const who = e.who || (e.type === 'message_in' ? tm('cmCustomerSide') : tm('cmSystem'));
  const outcome = e.outcome && outcomes.includes(e.outcome) ? tl('outcome.' + e.outcome) : e.outcome;
  const detail = [outcome, e.text].filter(Boolean).join(': ');
  return `${tl('type.' + e.type)} · ${who}${detail ? ' — ' + detail : ''}`;
};

// The team's talk about the customer on its page: comments with @mentions (posted, edited and
// deleted through the same crm rules as the chat), the followers the owner or a manager may
// remove, the filtered history, and the person's own "Mới cập nhật" count.
const CustomerComments = ({ page, fmt, busy, run, tm, tl }) => {
  const [text, setText] = useState('');
  const [filter, setFilter] = useState('all');
  const comments = page.comments || [];
  const followers = page.followers || [];
  const timeline = (page.timeline || []).filter((e) => filter === 'all' || e.kind === KIND_OF_FILTER[filter]);
  const unread = page.unread || { total: 0, customers: [] };
  return (
    <Box variant="white" p="xl" mb="lg" data-testid="customer-comments">
      {unread.total > 0 && (
        <Box mb="default" p="default" data-testid="unread-comments" style={{ background: '#fff4e5', borderRadius: 6 }}>
          <Text><b>{tm('cmUnread', undefined, { count: unread.total })}</b></Text>
          {unread.customers.map((c) => (
            <a key={c._id} href={h.recordActionUrl({ resourceId: 'Customer', recordId: c._id, actionName: 'show' })} style={{ marginRight: 12, fontSize: 13 }}>{c.code} · {c.name} ({c.unread})</a>
          ))}
        </Box>
      )}
      {page.canChange === false && <Text mb="default" p="default" data-testid="follower-banner" style={{ background: '#eef3ff', borderRadius: 6 }}>{tm('cmFollowing')}</Text>}
      <H5 mb="default">{tm('cmTitle')}</H5>
      <Box as="form" data-testid="form-comment" mb="lg" onSubmit={(e) => { e.preventDefault(); run('addComment', { text }, () => setText('')); }}>
        <textarea name="text" rows={3} placeholder={tm('cmPlaceholder')} value={text} onChange={(e) => setText(e.target.value)} style={{ ...selectStyle, marginBottom: 8 }} />
        <SubmitButton disabled={busy || !text.trim()}>{tm('cmSend')}</SubmitButton>
        <Text variant="sm" color="grey60" mt="xs">{tm('cmEditHelp')}</Text>
      </Box>
      <Box data-testid="comment-list">
        {comments.length ? comments.map((c) => <CommentItem key={c._id + (c.editedAt || '')} comment={c} fmt={fmt} busy={busy} run={run} tm={tm} />) : <Text color="grey60">{tm('cmNone')}</Text>}
      </Box>

      <H5 mt="xl" mb="sm">{tm('cmFollowers')}</H5>
      <Box data-testid="followers">
        {followers.length ? followers.map((f) => (
          <Box key={f._id} flex flexDirection="row" alignItems="center" mb="xs" style={{ gap: 8 }}>
            <Text data-testid="follower-name">{f.name}</Text>
            {page.canRemoveFollowers && (
              <Button type="button" size="sm" variant="text" disabled={busy} data-testid="follower-remove" onClick={() => run('removeFollower', { user: f._id })}>{tm('cmRemove')}</Button>
            )}
          </Box>
        )) : <Text color="grey60">{tm('cmNoFollowers')}</Text>}
      </Box>

      <H5 mt="xl" mb="sm">{tm('cmHistory')}</H5>
      <Box flex flexDirection="row" mb="default" style={{ gap: 6, flexWrap: 'wrap' }} data-testid="history-filters">
        {FILTERS.map((f) => (
          <Button key={f} type="button" size="sm" variant={f === filter ? 'contained' : 'outlined'} data-testid={'history-filter-' + f} onClick={() => setFilter(f)}>{tm('cmFilter_' + f)}</Button>
        ))}
      </Box>
      <Box data-testid="history" style={{ ...box, padding: 12, maxHeight: 320, overflowY: 'auto' }}>
        {timeline.length ? timeline.map((e, i) => (
          <Text key={i} variant="sm" mb="xs" data-testid={'history-' + e.kind}>{fmt(e.at)} · {historyLine(e, tl, tm, page.choices?.outcomes || [])}</Text>
        )) : <Text color="grey60">—</Text>}
      </Box>
    </Box>
  );
};

export default CustomerComments;

import React, { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'adminjs';
import { Box, H5, Text } from '@adminjs/design-system';
import { SubmitButton } from './FollowUpFields.jsx';

const CHANNELS = { telegram: 'Telegram', zalo_oa: 'Zalo OA', zalo_bot: 'Zalo Bot', web: 'Web chat' };

// The customer's messages and the team's replies, newest last, like a chat app; the box below
// sends on the customer's own channel. The list scrolls to the newest message.
const CustomerConversation = ({ messages, fmt, busy, onSend }) => {
  const [text, setText] = useState('');
  const list = useRef(null);
  const { tm } = useTranslation();
  useEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [messages.length]);

  const send = (e) => {
    e.preventDefault();
    if (text.trim()) onSend(text, () => setText(''));
  };

  return (
    <Box variant="white" p="xl" data-testid="conversation">
      <H5 mb="default">{tm('cpConversation')}</H5>
      <Box ref={list} style={{ maxHeight: 420, overflowY: 'auto', background: '#f6f7fb', borderRadius: 6, padding: 12 }}>
        {messages.length === 0 && <Text color="grey60">{tm('cpNoMessages')}</Text>}
        {messages.map((m, i) => (
          <Box key={i} data-testid={'message-' + m.direction} style={{ display: 'flex', justifyContent: m.direction === 'in' ? 'flex-start' : 'flex-end', marginBottom: 8 }}>
            <Box style={{ maxWidth: '80%', background: m.direction === 'in' ? '#fff' : '#dbe8ff', border: '1px solid #e4e4ea', borderRadius: 10, padding: '6px 10px' }}>
              <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.text}</Text>
              <Text variant="sm" color="grey60" style={{ fontSize: 11 }}>
                {[m.direction === 'in' ? tm('cpCustomer') : m.by || tm('cpChot'), CHANNELS[m.channel] || '', fmt(m.at)].filter(Boolean).join(' · ')}
              </Text>
            </Box>
          </Box>
        ))}
      </Box>
      {/* No reply box for a follower (onSend absent): they read the conversation, they do not answer. */}
      {onSend && <Box as="form" onSubmit={send} mt="default" data-testid="reply-form">
        <textarea name="reply" rows={2} value={text} placeholder={tm('cpReplyPlaceholder')} onChange={(e) => setText(e.target.value)} style={{ width: '100%', padding: 8, border: '1px solid #c0c0ca', borderRadius: 4, font: 'inherit' }} />
        <Box flex flexDirection="row" alignItems="center" style={{ gap: 12 }}>
          <SubmitButton disabled={busy || !text.trim()}>{busy ? tm('cpSending') : tm('cpSend')}</SubmitButton>
          <Text variant="sm" color="grey60">{tm('cpReplyHelp')}</Text>
        </Box>
      </Box>}
    </Box>
  );
};

export default CustomerConversation;

import React, { useEffect, useState } from 'react';
import { useTranslation } from 'adminjs';
import { Box, H5, Text } from '@adminjs/design-system';

const FILES = '/admin/customer-files';
const REFRESH_MS = 15_000;
const CHANNELS = { telegram: 'Telegram', zalo_oa: 'Zalo OA', zalo_bot: 'Zalo Bot', web: 'Web chat', panel: 'Panel' };

const size = (bytes) => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`);

/**
 * The customer's files and check-ins, read from chot's own route (which checks, as the logged-in
 * person, that they may see this customer). Shared by the attachments and check-ins boxes, so the
 * page asks once.
 */
export function useCustomerFiles(customerId) {
  const [data, setData] = useState({ attachments: [], checkIns: [] });
  useEffect(() => {
    let live = true;
    const load = () =>
      fetch(`${FILES}/of/${encodeURIComponent(customerId)}`, { credentials: 'same-origin' })
        .then((res) => (res.ok ? res.json() : null))
        .then((body) => live && body && setData(body))
        .catch(() => undefined);
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [customerId]);
  return data;
}

// Photos as thumbnails (opened full size in a new tab), documents as downloads; who sent each.
const CustomerAttachments = ({ attachments, fmt }) => {
  const { tm } = useTranslation();
  const photos = attachments.filter((a) => a.kind === 'photo');
  const documents = attachments.filter((a) => a.kind !== 'photo');
  const who = (a) => [a.from === 'customer' ? tm('attFromCustomer') : a.by || '', CHANNELS[a.channel] || '', fmt(a.createdAt)].filter(Boolean).join(' · ');
  return (
    <Box variant="white" p="xl" mt="lg" data-testid="customer-attachments">
      <H5 mb="default">{tm('attTitle')}</H5>
      {attachments.length === 0 && <Text color="grey60">{tm('attNone')}</Text>}
      {photos.length > 0 && (
        <Box flex flexDirection="row" style={{ gap: 10, flexWrap: 'wrap', marginBottom: 12 }}>
          {photos.map((a) => (
            <a key={a.id} href={`${FILES}/${a.id}`} target="_blank" rel="noopener noreferrer" title={`${a.name} · ${who(a)}`} data-testid="attachment-photo" style={{ display: 'block', width: 132, textDecoration: 'none' }}>
              <img src={`${FILES}/${a.id}`} alt={a.name} loading="lazy" style={{ width: 132, height: 99, objectFit: 'cover', borderRadius: 6, border: '1px solid #e4e4ea', background: '#f6f7fb' }} />
              <Text variant="sm" color="grey60" style={{ fontSize: 11, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{who(a)}</Text>
            </a>
          ))}
        </Box>
      )}
      {documents.map((a) => (
        <Box key={a.id} mb="sm" data-testid="attachment-file">
          <a href={`${FILES}/${a.id}`} download={a.name}>{a.name}</a>
          <Text variant="sm" color="grey60" style={{ fontSize: 11 }}>{[size(a.size), who(a)].join(' · ')}</Text>
        </Box>
      ))}
    </Box>
  );
};

export default CustomerAttachments;

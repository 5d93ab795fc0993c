import React from 'react';
import { useTranslation } from 'adminjs';
import { Text, ValueGroup } from '@adminjs/design-system';

/**
 * Two campaign fields written for people, in the list and on the show page: the progress
 * ("Đã gửi 2/2", from the counters the worker keeps exact) and the channels by name.
 */
const CampaignProgress = ({ record, resource, property, where }) => {
  const { tm, tl, translateProperty } = useTranslation();
  const p = record.params;
  let value;
  if (property.name === 'channels') {
    const channels = Object.keys(p).filter((k) => /^channels\.\d+$/.test(k)).sort().map((k) => tl('channel.' + p[k], resource.id));
    value = channels.join(', ') || '—';
  } else {
    const targeted = Number(p['counters.targeted'] || 0);
    if (p.status === 'draft' || p.status === 'scheduled') value = '—';
    else if (p.status === 'running' && targeted === 0) value = tm('campaignResolving', resource.id);
    else value = tm('campaignSentOf', resource.id, { sent: Number(p['counters.sent'] || 0), targeted });
  }
  const text = <Text style={{ whiteSpace: 'nowrap' }}>{value}</Text>;
  return where === 'show' ? <ValueGroup label={translateProperty(property.label, resource.id)}>{text}</ValueGroup> : text;
};

export default CampaignProgress;

import React from 'react';
import { useTranslation } from 'adminjs';
import { Text } from '@adminjs/design-system';

// "Đã gửi 2/2" in the list and on the show page, from the counters the worker keeps exact.
const CampaignProgress = ({ record, resource }) => {
  const { tm } = useTranslation();
  const p = record.params;
  const status = p.status;
  const targeted = Number(p['counters.targeted'] || 0);
  if (status === 'draft' || status === 'scheduled') return <Text>—</Text>;
  if (status === 'running' && targeted === 0) return <Text>{tm('campaignResolving', resource.id)}</Text>;
  return <Text style={{ whiteSpace: 'nowrap' }}>{tm('campaignSentOf', resource.id, { sent: Number(p['counters.sent'] || 0), targeted })}</Text>;
};

export default CampaignProgress;

import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import { Box, Button, H3, Text } from '@adminjs/design-system';

const api = new ApiClient();

// Stages in order with Up/Down buttons; every move is saved at once.
const StageReorder = ({ resource, action }) => {
  const [stages, setStages] = useState([]);
  const [saving, setSaving] = useState(false);
  const addNotice = useNotice();
  const { tm, tb, tl } = useTranslation();

  useEffect(() => {
    api.resourceAction({ resourceId: resource.id, actionName: action.name }).then((res) => setStages(res.data.stages || []));
  }, []);

  const move = async (index, delta) => {
    const target = index + delta;
    if (target < 0 || target >= stages.length || saving) return;
    const next = stages.slice();
    [next[index], next[target]] = [next[target], next[index]];
    setStages(next);
    setSaving(true);
    try {
      const res = await api.resourceAction({ resourceId: resource.id, actionName: action.name, method: 'post', data: { ids: next.map((s) => s.id).join(',') } });
      if (res.data.stages) setStages(res.data.stages);
      if (res.data.notice) addNotice(res.data.notice);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box variant="white" p="xl">
      <H3>{tl('Stage')}</H3>
      <Text mb="lg">{tm('reorderHelp')}</Text>
      {stages.map((s, i) => (
        <Box key={s.id} flex alignItems="center" py="sm" data-stage={s.name} style={{ borderBottom: '1px solid #eee', opacity: s.active ? 1 : 0.5 }}>
          <span style={{ width: 14, height: 14, borderRadius: 7, background: s.color, marginRight: 10, display: 'inline-block' }} />
          <Text style={{ flex: 1 }}>{i + 1}. {s.name} <small>({tl('kind.' + s.kind)})</small></Text>
          <Button size="sm" mr="sm" disabled={i === 0 || saving} onClick={() => move(i, -1)} data-testid={'up-' + i}>↑ {tb('moveUp')}</Button>
          <Button size="sm" disabled={i === stages.length - 1 || saving} onClick={() => move(i, 1)} data-testid={'down-' + i}>↓ {tb('moveDown')}</Button>
        </Box>
      ))}
    </Box>
  );
};

export default StageReorder;

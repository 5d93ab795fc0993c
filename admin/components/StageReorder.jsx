import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import { Box, Button, H3, Text } from '@adminjs/design-system';

const api = new ApiClient();

// An ordered list (relationship stages, the opportunity pipeline's steps): drag a row onto another
// (as in Getfly), or use Up/Down from the keyboard.
// Every move is saved at once, and the list shown is the order the server kept.
const StageReorder = ({ resource, action }) => {
  const [stages, setStages] = useState([]);
  const [saving, setSaving] = useState(false);
  const [dragged, setDragged] = useState(null);
  const [over, setOver] = useState(null);
  const addNotice = useNotice();
  const { tm, tb, tl } = useTranslation();

  useEffect(() => {
    api.resourceAction({ resourceId: resource.id, actionName: action.name }).then((res) => setStages(res.data.stages || []));
  }, []);

  const save = async (next) => {
    const before = stages;
    setStages(next);
    setSaving(true);
    try {
      const res = await api.resourceAction({ resourceId: resource.id, actionName: action.name, method: 'post', data: { ids: next.map((s) => s.id).join(',') } });
      setStages(res.data.stages || before);
      if (res.data.notice) addNotice(res.data.notice);
    } catch {
      setStages(before);
    } finally {
      setSaving(false);
    }
  };

  const moveTo = (from, to) => {
    if (saving || from === to || from < 0 || to < 0 || to >= stages.length) return;
    const next = stages.slice();
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved);
    save(next);
  };

  return (
    <Box variant="white" p="xl">
      <H3>{tl(resource.id)}</H3>
      <Text mb="lg">{tm('reorderHelp')}</Text>
      {stages.map((s, i) => (
        <Box
          key={s.id}
          flex
          alignItems="center"
          py="sm"
          data-stage={s.name}
          data-testid={'stage-' + i}
          draggable={!saving}
          onDragStart={(e) => { setDragged(i); e.dataTransfer.effectAllowed = 'move'; e.dataTransfer.setData('text/plain', s.id); }}
          onDragOver={(e) => { e.preventDefault(); setOver(i); }}
          onDragLeave={() => setOver((o) => (o === i ? null : o))}
          onDrop={(e) => { e.preventDefault(); setOver(null); if (dragged !== null) moveTo(dragged, i); setDragged(null); }}
          onDragEnd={() => { setDragged(null); setOver(null); }}
          style={{
            borderBottom: '1px solid #eee', borderTop: over === i && dragged !== null && dragged > i ? '2px solid #3b82f6' : undefined,
            borderBottomColor: over === i && dragged !== null && dragged < i ? '#3b82f6' : '#eee',
            opacity: dragged === i ? 0.4 : s.active ? 1 : 0.5, cursor: 'grab', background: over === i ? '#f1f5f9' : undefined,
          }}
        >
          <span aria-hidden="true" style={{ marginRight: 10, color: '#94a3b8', userSelect: 'none' }}>⠿</span>
          <span style={{ width: 14, height: 14, borderRadius: 7, background: s.color, marginRight: 10, display: 'inline-block' }} />
          <Text style={{ flex: 1 }}>{i + 1}. {s.name} <small>({tl('kind.' + s.kind, resource.id)})</small></Text>
          <Button size="sm" mr="sm" disabled={i === 0 || saving} onClick={() => moveTo(i, i - 1)} data-testid={'up-' + i}>↑ {tb('moveUp')}</Button>
          <Button size="sm" disabled={i === stages.length - 1 || saving} onClick={() => moveTo(i, i + 1)} data-testid={'down-' + i}>↓ {tb('moveDown')}</Button>
        </Box>
      ))}
    </Box>
  );
};

export default StageReorder;

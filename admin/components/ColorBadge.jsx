import React from 'react';

// A stage shown with its colour: in the customer list (the `stage` reference) and in the stage list (`color`).
const ColorBadge = ({ property, record }) => {
  const populated = record?.populated?.[property.path];
  const color = populated ? populated.params.color : record?.params?.color;
  const label = populated ? populated.params.name : property.path === 'color' ? record?.params?.color : record?.params?.[property.path];
  if (!label) return null;
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
      <span style={{ width: 12, height: 12, borderRadius: 6, background: color || '#64748b', display: 'inline-block' }} />
      <span>{label}</span>
    </span>
  );
};

export default ColorBadge;

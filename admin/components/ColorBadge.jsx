import React from 'react';

// List cells: arrays joined; a stage shown with its colour: in the customer list (the `stage` reference) and in the stage list (`color`).
const ColorBadge = ({ property, record }) => {
  const populated = record?.populated?.[property.path];
  // Arrays (phones) are flattened as `phones.0`, `phones.1`: shown joined instead of as a count.
  if (property.isArray) {
    const values = Object.keys(record?.params || {}).filter((k) => k.startsWith(property.path + '.')).map((k) => record.params[k]);
    return <span>{values.join(', ')}</span>;
  }
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

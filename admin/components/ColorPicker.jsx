import React from 'react';
import { useTranslation } from 'adminjs';
import { Box, FormGroup, Label, FormMessage } from '@adminjs/design-system';

// A palette of the colours people pick for stages, plus the browser's own picker for any other.
// The value is still a #rrggbb string, checked again by the server (models/stage.ts).
export const PALETTE = ['#3b82f6', '#06b6d4', '#22c55e', '#84cc16', '#eab308', '#f97316', '#ef4444', '#ec4899', '#8b5cf6', '#64748b'];

const ColorPicker = ({ property, record, onChange }) => {
  const { translateProperty, tm } = useTranslation();
  const value = record?.params?.[property.path] || '';
  const error = record?.errors?.[property.path];
  const set = (color) => onChange(property.path, color);
  return (
    <FormGroup error={Boolean(error)}>
      <Label>{translateProperty(property.label, property.resourceId)}</Label>
      <Box flex alignItems="center" style={{ gap: 8, flexWrap: 'wrap' }} data-testid="color-picker">
        {PALETTE.map((color) => (
          <button
            key={color}
            type="button"
            title={color}
            aria-label={color}
            aria-pressed={value.toLowerCase() === color}
            data-color={color}
            onClick={() => set(color)}
            style={{
              width: 28, height: 28, borderRadius: 14, background: color, cursor: 'pointer',
              border: value.toLowerCase() === color ? '3px solid #111827' : '2px solid #fff', boxShadow: '0 0 0 1px #cbd5e1',
            }}
          />
        ))}
        <input type="color" name={property.path} aria-label={tm('colorOther')} value={/^#[0-9a-fA-F]{6}$/.test(value) ? value : '#64748b'} onChange={(e) => set(e.target.value)} style={{ width: 40, height: 30, border: 0, background: 'none' }} />
        <code>{value}</code>
      </Box>
      <FormMessage>{error?.message}</FormMessage>
    </FormGroup>
  );
};

export default ColorPicker;

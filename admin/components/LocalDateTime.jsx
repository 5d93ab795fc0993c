import React from 'react';
import { useCurrentAdmin, useTranslation } from 'adminjs';
import { ValueGroup } from '@adminjs/design-system';
import { localDateTime } from './panelFormat.js';

// Replaces AdminJS's date cells (browser time zone, US order) on every page: the company's time
// zone and dd/MM/yyyy HH:mm, as the team writes dates. `where` is "show" on record pages.
const LocalDateTime = ({ property, record, where }) => {
  const [currentAdmin] = useCurrentAdmin();
  const { translateProperty } = useTranslation();
  const text = localDateTime(record?.params?.[property.path], currentAdmin?.timezone, property.type !== 'date');
  if (where !== 'show') return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{text}</ValueGroup>;
};

export default LocalDateTime;

import React from 'react';
import { useTranslation } from 'adminjs';
import { ValueGroup } from '@adminjs/design-system';
import { formats } from './dashboard/format.js';

// An amount in đồng as the team writes it (35.000.000 ₫), in lists and on record pages.
const MoneyValue = ({ property, record, where }) => {
  const { i18n, translateProperty } = useTranslation();
  const raw = record?.params?.[property.path];
  const text = raw === undefined || raw === null || raw === '' ? '' : formats(i18n.language).money(Number(raw));
  if (where !== 'show') return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{text}</ValueGroup>;
};

export default MoneyValue;

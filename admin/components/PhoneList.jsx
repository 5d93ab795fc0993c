import React from 'react';
import { useTranslation } from 'adminjs';
import { ValueGroup } from '@adminjs/design-system';
import { nationalPhone } from './panelFormat.js';

// Phones are stored in E.164; people read them as they dial them: 0912 345 678.
const PhoneList = ({ property, record, where }) => {
  const { translateProperty } = useTranslation();
  const params = record?.params || {};
  const values = property.isArray
    ? Object.keys(params).filter((k) => k.startsWith(property.path + '.')).sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop())).map((k) => params[k])
    : [params[property.path]].filter(Boolean);
  const text = <span style={{ whiteSpace: 'nowrap' }} data-testid="phones">{values.map(nationalPhone).join(', ')}</span>;
  if (where !== 'show') return text;
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{text}</ValueGroup>;
};

export default PhoneList;

import React from 'react';
import { useTranslation } from 'adminjs';
import { Badge } from '@adminjs/design-system';

// AdminJS writes "Yes"/"No" for every boolean; here a property may still have its own words
// (labels.<path>.true), and otherwise the panel's "Có"/"Không".
const BooleanText = ({ property, record, resource }) => {
  const { tl } = useTranslation();
  const raw = record?.params?.[property.path];
  if (raw === undefined || raw === '' || raw === null) return null;
  const value = raw === true || raw === 'true';
  const text = tl(`${property.path}.${value}`, resource?.id ?? property.resourceId, { defaultValue: tl(value ? 'yes' : 'no') });
  return <Badge outline size="sm">{text}</Badge>;
};

export default BooleanText;

import React from 'react';
import { useTranslation } from 'adminjs';
import { FormGroup, Label, Select } from '@adminjs/design-system';

// The boolean filter with the panel's "Có"/"Không" instead of AdminJS's "Yes"/"No".
const BooleanFilter = ({ property, filter = {}, onChange }) => {
  const { tl, translateProperty } = useTranslation();
  const current = filter[property.path];
  const options = [true, false].map((v) => ({ value: v, label: tl(`${property.path}.${v}`, property.resourceId, { defaultValue: tl(v ? 'yes' : 'no') }) }));
  const selected = current === undefined ? '' : options.find((o) => o.value === /true/i.test(String(current))) ?? '';
  return (
    <FormGroup>
      <Label>{translateProperty(property.label, property.resourceId)}</Label>
      <Select variant="filter" value={selected} isClearable options={options} onChange={(s) => onChange(property.path, s ? s.value : undefined)} />
    </FormGroup>
  );
};

export default BooleanFilter;

import React from 'react';
import { ViewHelpers, useCurrentAdmin, useTranslation } from 'adminjs';
import { Box, Link, Text, ValueGroup } from '@adminjs/design-system';
import { localDateTime, nationalPhone } from './panelFormat.js';

const h = new ViewHelpers();

// The organization page's contacts: who they are, how to call them, what happened and what is
// planned with each. The server puts them in `contactsJson` (show handler), already scoped.
const OrganizationContacts = ({ property, record }) => {
  const [currentAdmin] = useCurrentAdmin();
  const { tm, tl, translateProperty } = useTranslation();
  let contacts = [];
  try {
    contacts = JSON.parse(record?.params?.contactsJson || '[]');
  } catch {
    contacts = [];
  }
  const when = (value) => localDateTime(value, currentAdmin?.timezone, true);
  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      {!contacts.length && <Text data-testid="org-no-contacts">{tm('orgNoContacts')}</Text>}
      {contacts.map((c) => (
        <Box key={c.id} mb="lg" data-testid="org-contact">
          <Text fontWeight="bold">
            <Link href={h.recordActionUrl({ resourceId: 'Customer', recordId: c.id, actionName: 'show' })}>{`${c.code} · ${c.name}`}</Link>
          </Text>
          <Text>{[c.jobTitle, c.contactRole ? tl('contactRole.' + c.contactRole) : '', (c.phones || []).map(nationalPhone).join(', ')].filter(Boolean).join(' · ')}</Text>
          {c.followUps.map((f) => (
            <Text key={f.id} variant="sm" data-testid="org-contact-followup">{tm('orgDue')} {when(f.dueAt)} · {tl('type.' + f.type)}{f.note ? ` · ${f.note}` : ''}</Text>
          ))}
          {c.interactions.map((i) => (
            <Text key={i.id} variant="sm" color="grey60">• {when(i.occurredAt)} · {tl('type.' + i.type)}{i.text ? ` · ${i.text}` : ''}</Text>
          ))}
        </Box>
      ))}
    </ValueGroup>
  );
};

export default OrganizationContacts;

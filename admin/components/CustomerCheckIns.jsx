import React from 'react';
import { useTranslation } from 'adminjs';
import { Box, H5, Text } from '@adminjs/design-system';

// Where the team met the customer: coordinates and a link that opens them in a maps site. No map
// tiles are loaded into the panel (its CSP allows nothing from other hosts).
const CustomerCheckIns = ({ checkIns, fmt }) => {
  const { tm, tl } = useTranslation();
  return (
    <Box variant="white" p="xl" mt="lg" data-testid="customer-checkins">
      <H5 mb="default">{tm('attCheckIns')}</H5>
      {checkIns.length === 0 && <Text color="grey60">{tm('attNoCheckIns')}</Text>}
      {checkIns.map((c) => (
        <Box key={c.id} mb="sm" data-testid="checkin">
          <Text>
            {c.latitude.toFixed(6)}, {c.longitude.toFixed(6)}{' '}
            <a href={c.mapsUrl} target="_blank" rel="noopener noreferrer" style={{ marginLeft: 8 }}>{tm('attOpenMap')}</a>
          </Text>
          <Text variant="sm" color="grey60" style={{ fontSize: 11 }}>{[fmt(c.at), c.by, c.during ? tl('type.' + c.during) : ''].filter(Boolean).join(' · ')}</Text>
        </Box>
      ))}
    </Box>
  );
};

export default CustomerCheckIns;

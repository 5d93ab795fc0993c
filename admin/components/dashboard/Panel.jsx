import React from 'react';
import { Box, H5, Text } from '@adminjs/design-system';

export const Panel = ({ title, children, width = 1, testId, help }) => (
  <Box variant="white" p="lg" m="sm" style={{ flex: width, minWidth: 340 }} data-testid={testId}>
    <H5 mb={help ? 'xs' : 'md'}>{title}</H5>
    {help ? <Text mb="md" style={{ color: '#64748b', fontSize: 12 }}>{help}</Text> : null}
    {children}
  </Box>
);

export const Empty = ({ children }) => (
  <Box py="xl" style={{ textAlign: 'center', color: '#64748b' }} data-testid="empty">
    <Text>{children}</Text>
  </Box>
);

// The tooltip of every chart: a title line and the rows under it, in the panel's fonts.
export const TipBox = ({ title, rows }) => (
  <div style={{ background: '#fff', border: '1px solid #cbd5e1', borderRadius: 4, padding: '8px 10px', fontSize: 13, boxShadow: '0 2px 6px rgba(0,0,0,.12)' }}>
    <div style={{ fontWeight: 600, marginBottom: 4 }}>{title}</div>
    {rows.map(([label, value, colour]) => (
      <div key={label} style={{ display: 'flex', justifyContent: 'space-between', gap: 16 }}>
        <span>{colour ? <span style={{ color: colour }}>■ </span> : null}{label}</span>
        <strong>{value}</strong>
      </div>
    ))}
  </div>
);

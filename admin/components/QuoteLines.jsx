import React from 'react';
import { flat, useTranslation } from 'adminjs';
import { ValueGroup } from '@adminjs/design-system';
import { vnd } from './panelFormat.js';

const cell = { padding: '4px 8px', borderBottom: '1px solid #e4e4ea', textAlign: 'right' };

// A quote's lines as the customer's PDF shows them: name, unit, quantity, unit price, amount.
const QuoteLines = ({ property, record }) => {
  const { translateProperty, translateMessage } = useTranslation();
  const lines = flat.get(record?.params ?? {}, property.path) ?? [];
  // Messages, not nested property keys: those clash with the `lines` label itself.
  const label = (key) => translateMessage(`quoteCol_${key}`, property.resourceId);
  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      <table data-testid="quote-lines" style={{ borderCollapse: 'collapse', width: '100%', maxWidth: 760 }}>
        <thead>
          <tr>
            <th style={{ ...cell, textAlign: 'left' }}>{label('name')}</th>
            <th style={{ ...cell, textAlign: 'left' }}>{label('unit')}</th>
            <th style={cell}>{label('quantity')}</th>
            <th style={cell}>{label('unitPrice')}</th>
            <th style={cell}>{label('total')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => (
            <tr key={i}>
              <td style={{ ...cell, textAlign: 'left' }}>{l.name}</td>
              <td style={{ ...cell, textAlign: 'left' }}>{l.unit}</td>
              <td style={cell}>{new Intl.NumberFormat('vi-VN').format(Number(l.quantity))}</td>
              <td style={cell}>{vnd(l.unitPrice)}</td>
              <td style={cell}>{vnd(l.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ValueGroup>
  );
};

export default QuoteLines;

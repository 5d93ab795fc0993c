import React from 'react';
import { useTranslation } from 'adminjs';
import { ValueGroup, Link } from '@adminjs/design-system';

// The quote's PDF as a download link; the server checks again that the reader may see the customer.
const QuotePdfLink = ({ property, record }) => {
  const { translateMessage, translateProperty } = useTranslation();
  const href = record?.params?.[property.path];
  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      {href ? <Link href={href} data-testid="quote-pdf">{translateMessage('quoteDownloadPdf', 'Quote')} ({record.params.code}.pdf)</Link> : '—'}
    </ValueGroup>
  );
};

export default QuotePdfLink;

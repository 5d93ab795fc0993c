import React, { useEffect, useState } from 'react';
import { ApiClient, ViewHelpers, useTranslation } from 'adminjs';
import { Box, H5, Link, Text } from '@adminjs/design-system';
import { vnd } from './panelFormat.js';

const api = new ApiClient();
const h = new ViewHelpers();

// The customer's quotes on their page, newest first, each with its PDF. The list comes from the
// Quote resource's own list action, which keeps a salesperson to their own customers' quotes.
const CustomerQuotes = ({ customerId, fmt }) => {
  const { translateMessage: tm } = useTranslation();
  const [quotes, setQuotes] = useState(null);
  useEffect(() => {
    let live = true;
    api
      .resourceAction({ resourceId: 'Quote', actionName: 'list', query: `?filters.customer=${encodeURIComponent(customerId)}&perPage=20` })
      .then((res) => live && setQuotes(res.data.records ?? []))
      .catch(() => live && setQuotes([]));
    return () => {
      live = false;
    };
  }, [customerId]);
  return (
    <Box mt="xl" data-testid="card-quotes">
      <H5 mb="sm">{tm('quoteCardTitle', 'Quote')}</H5>
      {!quotes || !quotes.length ? (
        <Text color="grey60">—</Text>
      ) : (
        quotes.map((q) => (
          <Text key={q.id} data-testid="card-quote">
            <Link href={h.recordActionUrl({ resourceId: 'Quote', recordId: q.id, actionName: 'show' })}>{q.params.code}</Link>
            {' · '}{fmt(q.params.sentAt || q.params.createdAt)} · {vnd(q.params.total)} · {tm(`quoteStatus_${q.params.status}`, 'Quote')}
            {' · '}<Link href={`${h.options.rootPath}/quotes/${q.id}/pdf`}>PDF</Link>
          </Text>
        ))
      )}
    </Box>
  );
};

export default CustomerQuotes;

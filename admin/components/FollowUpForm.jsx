import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import { Box, Button, H3, Label, Input } from '@adminjs/design-system';
import { useNavigate } from 'react-router';
import FollowUpFields, { emptyFollowUp, selectStyle } from './FollowUpFields.jsx';

const api = new ApiClient();

// "New" on the follow-up list: find the customer (the search is scoped like the customer list),
// then the same fields as on the customer page.
const FollowUpForm = ({ resource, action }) => {
  const [query, setQuery] = useState('');
  const [customers, setCustomers] = useState([]);
  const [customer, setCustomer] = useState('');
  const [values, setValues] = useState(emptyFollowUp);
  const [form, setForm] = useState({ timezone: '', types: [], recurrences: [] });
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  const navigate = useNavigate();
  const { tm, tb } = useTranslation();

  useEffect(() => {
    api.resourceAction({ resourceId: resource.id, actionName: action.name }).then((res) => setForm(res.data.form));
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => {
      api.searchRecords({ resourceId: 'Customer', query }).then((found) => {
        setCustomers(found);
        if (found.length === 1) setCustomer(found[0].id);
      });
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    try {
      const res = await api.resourceAction({ resourceId: resource.id, actionName: action.name, method: 'post', data: { ...values, customer } });
      if (res.data.notice) addNotice(res.data.notice);
      if (res.data.redirectUrl) navigate(res.data.redirectUrl);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box variant="white" p="xl" as="form" onSubmit={submit} data-testid="follow-up-form">
      <H3>{tm('cpNewFollowUp')}</H3>
      <Box mb="default">
        <Label required>{tm('cpCustomerSearch')}</Label>
        <Input name="customerSearch" width={1} value={query} onChange={(e) => setQuery(e.target.value)} />
        <select name="customer" required value={customer} onChange={(e) => setCustomer(e.target.value)} style={{ ...selectStyle, marginTop: 8 }}>
          <option value="">{tm('cpCustomerPick')}</option>
          {customers.map((c) => <option key={c.id} value={c.id}>{c.title}{c.params.code ? ` (${c.params.code})` : ''}</option>)}
        </select>
      </Box>
      <FollowUpFields values={values} onChange={setValues} timezone={form.timezone} types={form.types} recurrences={form.recurrences} />
      <Button variant="primary" type="submit" disabled={busy || !customer}>{tb('save')}</Button>
    </Box>
  );
};

export default FollowUpForm;

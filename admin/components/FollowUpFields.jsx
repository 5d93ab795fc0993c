import React from 'react';
import { useTranslation } from 'adminjs';
import { Box, Button, Label, Input } from '@adminjs/design-system';

// The follow-up inputs shared by the customer page and the follow-up list's "new" form. The time
// is the company's wall-clock time (the server reads it in the company's zone), sent as typed.
export const emptyFollowUp = { type: 'call', dueAt: '', recurrence: 'none', everyDays: '', note: '' };

export const selectStyle = { padding: 8, width: '100%', border: '1px solid #c0c0ca', borderRadius: 4, background: '#fff', font: 'inherit' };

/** A form's main button, filled so that an enabled one never looks greyed out like a disabled one. */
export const SubmitButton = ({ disabled, children }) => (
  <Button type="submit" size="sm" disabled={disabled} style={disabled ? undefined : { background: '#3040D6', borderColor: '#3040D6', color: '#fff' }}>{children}</Button>
);

/** "GMT+7": how people name the company's zone, rather than its database name. */
const zoneName = (timezone) => {
  try {
    const part = new Intl.DateTimeFormat('vi-VN', { timeZone: timezone, timeZoneName: 'shortOffset' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName');
    return part ? part.value : timezone;
  } catch {
    return timezone;
  }
};

const FollowUpFields = ({ values, onChange, timezone, types, recurrences }) => {
  const { tm, tl } = useTranslation();
  const set = (name) => (e) => onChange({ ...values, [name]: e.target.value });
  return (
    <>
      <Box mb="default">
        <Label required>{tm('cpFollowUpWhen', undefined, { timezone: timezone ? zoneName(timezone) : '' })}</Label>
        <Input name="dueAt" type="datetime-local" required width={1} value={values.dueAt} onChange={set('dueAt')} />
      </Box>
      <Box flex flexDirection="row" mb="default" style={{ gap: 12 }}>
        <Box flexGrow={1}>
          <Label>{tm('cpFollowUpType')}</Label>
          <select name="type" value={values.type} onChange={set('type')} style={selectStyle}>
            {types.map((t) => <option key={t} value={t}>{tl('type.' + t)}</option>)}
          </select>
        </Box>
        <Box flexGrow={1}>
          <Label>{tm('cpRecurrence')}</Label>
          <select name="recurrence" value={values.recurrence} onChange={set('recurrence')} style={selectStyle}>
            {recurrences.map((r) => <option key={r} value={r}>{tl('recurrence.' + r)}</option>)}
          </select>
        </Box>
        {values.recurrence === 'every_n_days' && (
          <Box width={120}>
            <Label required>{tm('cpEveryDays')}</Label>
            <Input name="everyDays" type="number" min={1} max={365} required width={1} value={values.everyDays} onChange={set('everyDays')} />
          </Box>
        )}
      </Box>
      <Box mb="default">
        <Label>{tm('cpFollowUpNote')}</Label>
        <Input name="note" width={1} value={values.note} onChange={set('note')} />
      </Box>
    </>
  );
};

export default FollowUpFields;

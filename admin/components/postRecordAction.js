/**
 * Posts one record action from a page form and shows its notice. Resolves true when it was not
 * refused, so the caller clears the form and reloads; a refusal keeps what was typed.
 */
export async function postRecordAction(api, addNotice, { resourceId, recordId, actionName, data }) {
  const res = await api.recordAction({ resourceId, recordId, actionName, method: 'post', data });
  const notice = res.data.notice;
  if (notice) addNotice(notice);
  return !notice || notice.type !== 'error';
}

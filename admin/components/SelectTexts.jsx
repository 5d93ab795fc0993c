import React from 'react';
import { useTranslation } from 'adminjs';
import { Select, SelectAsync } from '@adminjs/design-system';

// Every select in AdminJS (filters, references, enums) is the design system's react-select with
// react-select's English "Select...", "No options" and "Loading...". Their defaults are set here
// once, when the panel's component bundle loads, as texts that follow the chosen language.
const Placeholder = () => {
  const { tl } = useTranslation();
  return <>{tl('selectPlaceholder')}</>;
};
const Message = ({ name }) => {
  const { tm } = useTranslation();
  return <>{tm(name)}</>;
};
const texts = {
  placeholder: <Placeholder />,
  noOptionsMessage: () => <Message name="selectNoOptions" />,
  loadingMessage: () => <Message name="selectLoading" />,
};
for (const component of [Select, SelectAsync]) {
  if (component) component.defaultProps = { ...(component.defaultProps || {}), ...texts };
}

// Registered as a component only so the bundle includes (and runs) this file.
const SelectTexts = () => null;
export default SelectTexts;

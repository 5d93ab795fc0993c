import type { PanelTexts } from './merge.js';

/** Organizations (khách hàng tổ chức) and the contact fields of customers, merged over admin/locale.ts. */
export const organizationsTexts: PanelTexts = {
  vi: {
    labels: {
      Organization: 'Tổ chức',
      contactRole: { decision_maker: 'Người quyết định', purchaser: 'Người mua hàng', user: 'Người sử dụng', accountant: 'Kế toán', other: 'Khác' },
    },
    properties: { organization: 'Tổ chức', jobTitle: 'Chức danh', contactRole: 'Vai trò mua hàng' },
    resources: {
      Organization: {
        properties: {
          code: 'Mã TC', name: 'Tên tổ chức', taxCode: 'Mã số thuế', address: 'Địa chỉ', province: 'Tỉnh/Thành phố', website: 'Website',
          domain: 'Tên miền email', industry: 'Ngành nghề', contacts: 'Người liên hệ', searchText: 'Tìm kiếm (tên, MST, mã TC)',
        },
      },
    },
    messages: {
      orgNoContacts: 'Chưa có người liên hệ nào ở tổ chức này.', orgDue: 'Hẹn',
      importOrgLink: '🏢 liên kết với {{code}} · {{name}}', importOrgCreate: '🏢 tạo tổ chức mới {{name}}',
      importReason_taxCodeInvalid: 'Mã số thuế không hợp lệ (cần 10 hoặc 13 chữ số)',
    },
  },
  en: {
    labels: {
      Organization: 'Organizations',
      contactRole: { decision_maker: 'Decision maker', purchaser: 'Purchaser', user: 'User', accountant: 'Accountant', other: 'Other' },
    },
    properties: { organization: 'Organization', jobTitle: 'Job title', contactRole: 'Buying role' },
    resources: {
      Organization: {
        properties: {
          code: 'TC code', name: 'Name', taxCode: 'Tax code', address: 'Address', province: 'Province', website: 'Website',
          domain: 'Email domain', industry: 'Industry', contacts: 'Contacts', searchText: 'Search (name, tax code, TC code)',
        },
      },
    },
    messages: {
      orgNoContacts: 'No contacts at this organization yet.', orgDue: 'Due',
      importOrgLink: '🏢 linked to {{code}} · {{name}}', importOrgCreate: '🏢 new organization {{name}}',
      importReason_taxCodeInvalid: 'Invalid tax code (10 or 13 digits needed)',
    },
  },
};

import type { PanelTexts } from './merge.js';

/** Care templates (Tin chăm sóc) and the customer's birthday field, merged over admin/locale.ts. */
export const careTexts: PanelTexts = {
  vi: {
    labels: {
      CareTemplate: 'Tin chăm sóc',
      kind: { birthday: 'Chúc mừng sinh nhật', days_after_won: 'Hỏi thăm N ngày sau khi chốt' },
    },
    properties: { birthdayText: 'Sinh nhật' },
    resources: {
      CareTemplate: {
        properties: { name: 'Tên mẫu', kind: 'Dịp gửi', days: 'Số ngày sau khi chốt (N)', hour: 'Giờ gửi', text: 'Nội dung', active: 'Đang bật', updatedAt: 'Cập nhật lúc' },
        actions: { new: 'Tạo mẫu tin chăm sóc', edit: 'Sửa mẫu tin chăm sóc' },
      },
    },
    messages: {
      careTextHelp: 'Chèn {ten} (tên khách), {ma} (mã KH), {nguoi_phu_trach} (người phụ trách). Tối đa 2000 ký tự. Mỗi khách nhận một lần mỗi dịp, qua kênh chat của khách.',
      careDaysHelp: 'Chỉ cho dịp "N ngày sau khi chốt": gửi N ngày sau ngày ghi nhận hợp đồng.',
      careHourHelp: 'Giờ trong ngày (0–23) theo múi giờ công ty.',
      birthdayHelp: 'Ngày/tháng, năm nếu biết: 12/5 hoặc 12/05/1990. Để trống nếu chưa biết.',
      crmError_birthday_invalid: 'Chưa hiểu ngày sinh "{{input}}". Ví dụ: 12/5 hoặc 12/05/1990.',
    },
  },
  en: {
    labels: {
      CareTemplate: 'Care messages',
      kind: { birthday: 'Birthday greeting', days_after_won: 'Check-in N days after won' },
    },
    properties: { birthdayText: 'Birthday' },
    resources: {
      CareTemplate: {
        properties: { name: 'Name', kind: 'Occasion', days: 'Days after won (N)', hour: 'Hour', text: 'Text', active: 'On', updatedAt: 'Updated' },
        actions: { new: 'New care message', edit: 'Edit care message' },
      },
    },
    messages: {
      careTextHelp: 'Insert {ten} (name), {ma} (customer code), {nguoi_phu_trach} (owner). Up to 2000 characters. Each customer gets it once per occasion, on their chat channel.',
      careDaysHelp: 'Only for "N days after won": sent N days after the deal was recorded.',
      careHourHelp: 'Hour of the day (0–23) in the company time zone.',
      birthdayHelp: 'Day/month, and the year if known: 12/5 or 12/05/1990. Leave empty if unknown.',
      crmError_birthday_invalid: 'Could not read the birthday "{{input}}". For example: 12/5 or 12/05/1990.',
    },
  },
};

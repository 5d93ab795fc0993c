import type { PanelTexts } from './merge.js';

/** Panel texts of issue 13's "nothing dropped" part: the referrer field and the import's new columns. */
export const chatNoDropTexts: PanelTexts = {
  vi: {
    resources: {
      Customer: {
        properties: { referrerText: 'Người giới thiệu' },
      },
    },
    properties: { referrerText: 'Người giới thiệu' },
    messages: {
      referrerHelp: 'SĐT hoặc mã KH của một khách, hoặc tên hay email của nhân viên. Để trống nếu không có.',
      importReason_unknownReferrer: 'Không tìm thấy người giới thiệu',
      importReason_selfReferrer: 'Khách không thể tự giới thiệu chính mình',
      importHelp:
        'Tệp CSV UTF-8 (có hoặc không BOM). Cột: Họ tên, Số điện thoại, Email, Nhu cầu, Ghi chú, Nguồn, Nhóm, Người phụ trách, Người giới thiệu (SĐT, mã KH hoặc tên/email nhân viên), Công ty, MST (mã số thuế). Khi gộp vào khách đã có, ghi chú được thêm vào (kèm ngày), nhu cầu mới được lưu vào lịch sử nhu cầu. Chưa ghi gì cho đến khi bạn xác nhận.',
    },
  },
  en: {
    resources: {
      Customer: {
        properties: { referrerText: 'Referred by' },
      },
    },
    properties: { referrerText: 'Referred by' },
    messages: {
      referrerHelp: "A customer's phone or KH code, or a staff member's name or email. Leave empty if none.",
      importReason_unknownReferrer: 'Referrer not found',
      importReason_selfReferrer: 'A customer cannot refer themselves',
      importHelp:
        'UTF-8 CSV (with or without BOM). Columns: Name, Phone, Email, Need, Notes, Source, Groups, Owner, Referred by (phone, KH code or staff name/email), Company (Công ty), Tax code (MST); Vietnamese headers work too. Merging into an existing customer appends the notes (dated) and keeps the new need in the need history. Nothing is written until you confirm.',
    },
  },
};

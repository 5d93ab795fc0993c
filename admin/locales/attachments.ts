import type { PanelTexts } from './merge.js';

/** The customer page's files and check-ins boxes, merged over admin/locale.ts. */
export const attachmentsTexts: PanelTexts = {
  vi: {
    messages: {
      attTitle: 'Ảnh & tệp', attNone: 'Chưa có ảnh hay tệp nào. Mở thẻ khách trong chat rồi gửi ảnh hoặc tệp để lưu vào đây.',
      attFromCustomer: 'Khách gửi', attCheckIns: 'Check-in', attNoCheckIns: 'Chưa có check-in nào. Gửi vị trí trong chat khi thẻ khách đang mở.',
      attOpenMap: 'Mở bản đồ',
    },
  },
  en: {
    messages: {
      attTitle: 'Photos & files', attNone: 'No photos or files yet. Open the card in chat and send a photo or file to keep it here.',
      attFromCustomer: 'From the customer', attCheckIns: 'Check-ins', attNoCheckIns: 'No check-ins yet. Send your location in chat while the card is open.',
      attOpenMap: 'Open in maps',
    },
  },
};

import type { PanelTexts } from './merge.js';

/**
 * Panel texts about email, ZNS and SMS to customers. The settings page says plainly that email open
 * tracking is off unless the server's EMAIL_OPEN_TRACKING turns it on: the company name sits in the
 * emails and on the unsubscribe page, so its help text is where an admin reads it.
 */
export const outreachTexts: PanelTexts = {
  vi: {
    resources: {
      Interaction: {
        properties: {
          delivery: 'Gửi đi (email/SMS)',
          'delivery.status': 'Trạng thái gửi',
          'delivery.reason': 'Lý do không gửi được',
          'delivery.code': 'Mã của nhà cung cấp',
          'delivery.detail': 'Chi tiết',
          'delivery.providerId': 'Mã tin ở nhà cung cấp',
          'delivery.trackingId': 'Mã theo dõi',
          'delivery.costVnd': 'Chi phí (₫)',
        },
        labels: { 'delivery.status': { sent: 'Đã gửi', failed: 'Không gửi được' } },
      },
    },
    messages: {
      settingsCompanyNameOutreach:
        'Tên này hiện trong email gửi khách và trên trang hủy nhận tin. Theo dõi mở email (một ảnh 1×1 trong email chiến dịch) đang TẮT theo mặc định; chỉ bật khi quản trị máy chủ đặt EMAIL_OPEN_TRACKING=true. Mỗi email chiến dịch có liên kết hủy nhận tin, khách bấm là ngừng nhận tin qua mọi kênh.',
    },
  },
  en: {
    resources: {
      Interaction: {
        properties: {
          delivery: 'Sent by chot (email/SMS)',
          'delivery.status': 'Delivery status',
          'delivery.reason': 'Why not sent',
          'delivery.code': 'Provider code',
          'delivery.detail': 'Detail',
          'delivery.providerId': 'Provider message id',
          'delivery.trackingId': 'Tracking id',
          'delivery.costVnd': 'Cost (₫)',
        },
        labels: { 'delivery.status': { sent: 'Sent', failed: 'Not sent' } },
      },
    },
    messages: {
      settingsCompanyNameOutreach:
        'This name appears in emails to customers and on the unsubscribe page. Email open tracking (a 1×1 image in campaign emails) is OFF by default; it is on only when the server admin sets EMAIL_OPEN_TRACKING=true. Every campaign email has an unsubscribe link that stops messages on every channel.',
    },
  },
};

import { defineMessages } from './define.js';

/** Email, ZNS and SMS to customers: the email footer, the unsubscribe page, sending from the card. */
export default defineMessages(
  {
    'outreach.email.unsubscribeFooter': 'Bạn nhận email này vì là khách hàng của chúng tôi. Không muốn nhận tin nữa',
    'outreach.email.unsubscribeLink': 'Hủy đăng ký',
    'outreach.unsubscribe.title': 'Hủy nhận tin từ {company}',
    'outreach.unsubscribe.ask': 'Bạn sẽ không nhận tin chương trình, khuyến mãi từ {company} nữa, qua mọi kênh: email, Zalo, SMS và chat.',
    'outreach.unsubscribe.confirm': 'Xác nhận hủy nhận tin',
    'outreach.unsubscribe.done': 'Đã xong. {company} sẽ không gửi tin chương trình cho bạn nữa, qua mọi kênh.',
    'outreach.unsubscribe.already': 'Bạn đã hủy nhận tin từ trước. {company} không gửi tin chương trình cho bạn nữa.',
    'outreach.unsubscribe.expired': 'Liên kết này đã hết hạn. Hãy dùng liên kết trong email mới nhất, hoặc trả lời email với nội dung "Hủy".',
    'outreach.unsubscribe.invalid': 'Liên kết không hợp lệ. Hãy mở đúng liên kết trong email, hoặc trả lời email với nội dung "Hủy".',
    'outreach.unsubscribe.failed': 'Chưa thực hiện được, xin thử lại sau ít phút.',
    'outreach.optOut.chatDone': 'Đã xong: {company} sẽ không gửi tin khuyến mãi cho bạn nữa, qua mọi kênh (chat, Zalo, email, SMS). Bạn vẫn có thể nhắn tin ở đây để được tư vấn.',
  },
  {
    'outreach.email.unsubscribeFooter': 'You receive this email as our customer. To stop receiving our messages',
    'outreach.email.unsubscribeLink': 'Unsubscribe',
    'outreach.unsubscribe.title': 'Stop messages from {company}',
    'outreach.unsubscribe.ask': 'You will no longer receive offers and news from {company} on any channel: email, Zalo, SMS and chat.',
    'outreach.unsubscribe.confirm': 'Confirm: stop messages',
    'outreach.unsubscribe.done': 'Done. {company} will not send you offers or news again, on any channel.',
    'outreach.unsubscribe.already': 'You had already unsubscribed. {company} no longer sends you offers or news.',
    'outreach.unsubscribe.expired': 'This link has expired. Use the link in the latest email, or reply to the email with "Unsubscribe".',
    'outreach.unsubscribe.invalid': 'This link is not valid. Open the exact link from the email, or reply to the email with "Unsubscribe".',
    'outreach.unsubscribe.failed': 'That did not work yet; please try again in a few minutes.',
    'outreach.optOut.chatDone': 'Done: {company} will send you no more promotional messages on any channel (chat, Zalo, email, SMS). You can still write here for advice.',
  },
);

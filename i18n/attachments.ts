import { defineMessages } from './define.js';

/** Photos, files and check-ins sent in chat, and the refusals of the attachment services. */
export default defineMessages(
  {
    'error.notFound.attachment': 'Không tìm thấy tệp này.',
    'error.attachment.tooLarge': 'Tệp quá lớn ({size}): mỗi tệp tối đa {max}. Hãy gửi tệp nhỏ hơn hoặc nén lại.',
    'error.attachment.customerFull': 'Hồ sơ {name} đã dùng hết dung lượng tệp ({max}). Nhờ quản lý xoá bớt tệp cũ rồi gửi lại.',
    'error.attachment.typeRefused': 'Không nhận loại tệp này. Chỉ nhận ảnh (JPEG, PNG, WebP, GIF), PDF, Word/Excel/PowerPoint (.docx, .xlsx, .pptx) và văn bản thuần (.txt, .csv).',
    'error.attachment.empty': 'Tệp rỗng, không có gì để lưu.',
    'error.attachment.noCard': 'Chưa có thẻ khách nào đang mở. Mở thẻ khách (gõ tên, SĐT hoặc /find) rồi gửi lại.',
    'attach.saved.photo': '📷 Đã lưu ảnh "{name}" ({size}) vào hồ sơ {customer}.',
    'attach.saved.document': '📎 Đã lưu tệp "{name}" ({size}) vào hồ sơ {customer}.',
    'attach.noCard': 'Chưa lưu: chưa có thẻ khách nào đang mở. Mở thẻ khách (gõ tên, SĐT hoặc /find) rồi gửi lại ảnh hoặc tệp, nó sẽ được lưu vào hồ sơ khách đó.',
    'attach.noCardLocation': 'Chưa check-in: chưa có thẻ khách nào đang mở. Mở thẻ khách (gõ tên, SĐT hoặc /find) rồi gửi lại vị trí.',
    'attach.checkIn.done': '📍 Đã check-in cho {customer} lúc {when}: {latitude}, {longitude}\n{url}',
    'attach.checkIn.continue': 'Tiếp tục ghi tương tác: trả lời câu hỏi ở tin phía trên.',
    'attach.action.card': '📇 Thẻ khách',
    'attach.customer.refused': 'Xin lỗi, chúng tôi chưa nhận được tệp này. {reason}',
  },
  {
    'error.notFound.attachment': 'File not found.',
    'error.attachment.tooLarge': 'The file is too large ({size}): each file may be at most {max}. Send a smaller or compressed file.',
    'error.attachment.customerFull': "{name}'s files have used up their space ({max}). Ask a manager to delete old files, then send again.",
    'error.attachment.typeRefused': 'This kind of file is not accepted. Accepted: photos (JPEG, PNG, WebP, GIF), PDF, Word/Excel/PowerPoint (.docx, .xlsx, .pptx) and plain text (.txt, .csv).',
    'error.attachment.empty': 'The file is empty: nothing to keep.',
    'error.attachment.noCard': 'No customer card is open. Open one (type a name, phone or /find), then send again.',
    'attach.saved.photo': '📷 Photo "{name}" ({size}) kept on {customer}\'s record.',
    'attach.saved.document': '📎 File "{name}" ({size}) kept on {customer}\'s record.',
    'attach.noCard': 'Not kept: no customer card is open. Open a card (type a name, phone or /find), then send the photo or file again and it is kept on that customer.',
    'attach.noCardLocation': 'No check-in: no customer card is open. Open a card (type a name, phone or /find), then send your location again.',
    'attach.checkIn.done': '📍 Checked in for {customer} at {when}: {latitude}, {longitude}\n{url}',
    'attach.checkIn.continue': 'Carry on logging: answer the question in the message above.',
    'attach.action.card': '📇 Customer card',
    'attach.customer.refused': 'Sorry, we could not take this file. {reason}',
  },
);

import { defineMessages } from './define.js';

/**
 * Refusals added for the admin panel: its services (catalog editing) and its front door (requests
 * from another site, too large, before login). Each is both a plain text and, through admin/locale.ts,
 * a panel notice (`crmError_panel_crossSite`).
 */
export default defineMessages(
  {
    'error.inUse': 'Không xoá được: còn {count} khách hàng đang dùng mục này. Hãy chuyển họ sang mục khác hoặc ngừng dùng mục này.',
    'error.panel.crossSite': 'Yêu cầu bị từ chối vì không được gửi từ trang quản trị của chot. Hãy mở lại trang quản trị rồi thử lại.',
    'error.panel.loginRequired': 'Phiên đăng nhập đã hết. Hãy đăng nhập lại.',
    'error.panel.tooLarge': 'Dữ liệu gửi lên quá lớn (tối đa {max}).',
    'error.panel.csvTooLarge': 'Tệp CSV quá lớn: tối đa {max}. Hãy chia thành nhiều tệp nhỏ hơn.',
    'error.panel.badRequest': 'Yêu cầu không hợp lệ.',
    'error.panel.notFound': 'Không tìm thấy mục này, hoặc bạn không có quyền xem.',
    'error.opportunityStage.inUse': 'Không được: còn {count} cơ hội ở bước này. Hãy chuyển các cơ hội sang bước khác, hoặc chỉ ngừng dùng bước này.',
    'error.opportunityStage.lastOfKind': 'Không được: "{name}" là bước cuối cùng thuộc loại này đang dùng; quy trình cần ít nhất một bước đang xử lý, một bước thắng và một bước thua.',
  },
  {
    'error.inUse': 'Cannot delete: {count} customers still use it. Move them elsewhere or deactivate it instead.',
    'error.panel.crossSite': 'Refused: this request was not sent from chot\'s admin pages. Open the admin panel again and retry.',
    'error.panel.loginRequired': 'Your session has ended. Please log in again.',
    'error.panel.tooLarge': 'What was sent is too large (at most {max}).',
    'error.panel.csvTooLarge': 'The CSV file is too large: at most {max}. Split it into smaller files.',
    'error.panel.badRequest': 'The request is not valid.',
    'error.panel.notFound': 'Not found, or you may not see it.',
    'error.opportunityStage.inUse': 'Not allowed: {count} opportunities are at this step. Move them to another step, or just deactivate it.',
    'error.opportunityStage.lastOfKind': 'Not allowed: "{name}" is the last active step of its kind; the pipeline needs at least one open, one won and one lost step.',
  },
);

/**
 * Vietnamese texts (the default language). Keys are shared with en.ts; `{name}` marks a value.
 * Sections: `error.*` for service refusals, the rest grows with each channel and the admin panel.
 */
export const vi = {
  'error.forbidden': 'Bạn không có quyền với khách hàng hoặc thao tác này.',
  'error.notFound.customer': 'Không tìm thấy khách hàng. Thử /find với tên, số điện thoại hoặc mã KH.',
  'error.notFound.stage': 'Không tìm thấy giai đoạn này. Chọn lại từ danh sách.',
  'error.notFound.followUp': 'Không tìm thấy lịch hẹn này.',
  'error.notFound.user': 'Không tìm thấy nhân viên này.',
  'error.phone.invalid': 'Số điện thoại "{input}" không hợp lệ. Nhập lại, ví dụ 0912 345 678 hoặc +84 912 345 678.',
  'error.phone.taken': 'Số điện thoại này đã thuộc khách hàng {code}. Mở khách hàng đó thay vì tạo mới.',
  'error.customer.nameRequired': 'Cần có tên khách hàng.',
  'error.stage.dormantByHand': 'Giai đoạn "Đừng quên" do hệ thống tự gán, không chọn bằng tay được.',
  'error.stage.inactive': 'Giai đoạn này đã ngừng dùng. Chọn giai đoạn khác.',
  'error.deal.amountInvalid': 'Số tiền không hợp lệ. Ví dụ: 50000000, 50tr, 1,5 tỷ.',
  'error.followUp.notActive': 'Lịch hẹn này đã xong hoặc đã huỷ.',
  'error.followUp.dueInvalid': 'Thời gian hẹn không hợp lệ hoặc đã qua. Ví dụ: mai 9h, thứ 6 14h30, 3 ngày nữa.',
  'error.linkCode.invalid': 'Mã liên kết không đúng hoặc đã hết hạn. Xin quản trị viên mã mới.',
  'error.chat.alreadyLinked': 'Tài khoản chat này đã được liên kết.',
  'error.invalid': 'Dữ liệu không hợp lệ ({field}). Kiểm tra và thử lại.',
  'error.unexpected': 'Có lỗi xảy ra. Vui lòng thử lại sau ít phút.',
} satisfies Record<string, string>;

export type MessageKey = keyof typeof vi;

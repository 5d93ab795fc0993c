import type { PanelTexts } from './merge.js';

/** The panel texts of products and quotes (báo giá), merged over admin/locale.ts. */
export const quotesTexts: PanelTexts = {
  vi: {
    labels: { Product: 'Sản phẩm / dịch vụ', Quote: 'Báo giá', channel: { staff: 'Nhân viên tự chuyển tiếp' } },
    actions: { accept: 'Khách đồng ý', reject: 'Khách từ chối', winOpportunity: 'Thắng cơ hội theo báo giá', logo: 'Logo công ty' },
    resources: {
      Product: { properties: { name: 'Tên', unit: 'Đơn vị tính', price: 'Đơn giá (₫)', active: 'Đang bán' } },
      Quote: {
        labels: { status: { draft: 'Đang soạn', sent: 'Đã gửi', accepted: 'Khách đồng ý', rejected: 'Khách từ chối' } },
        properties: {
          code: 'Số báo giá', customer: 'Khách hàng', opportunity: 'Cơ hội', lines: 'Các dòng', subtotal: 'Tạm tính',
          discountAmount: 'Chiết khấu', total: 'Tổng cộng', status: 'Trạng thái', channel: 'Gửi qua', sentAt: 'Ngày gửi', decidedAt: 'Ngày khách trả lời',
          createdBy: 'Người báo giá', pdf: 'File PDF',
        },
      },
    },
    messages: {
      quoteCardTitle: 'Báo giá',
      companyLogoTitle: 'Logo công ty', companyLogoHelp: 'In trên đầu mỗi báo giá PDF. Ảnh PNG hoặc JPEG, tối đa 200 KB.', companyLogoRemove: 'Bỏ logo',
      companyLogoSaved: 'Đã lưu logo', companyLogoRemoved: 'Đã bỏ logo', companyLogoTooBig: 'Ảnh quá lớn: tối đa 200 KB.',
      quoteCol_name: 'Sản phẩm / dịch vụ', quoteCol_unit: 'ĐVT', quoteCol_quantity: 'Số lượng', quoteCol_unitPrice: 'Đơn giá', quoteCol_total: 'Thành tiền',
      quoteDownloadPdf: 'Tải PDF',
      quoteStatus_draft: 'Đang soạn', quoteStatus_sent: 'Đã gửi', quoteStatus_accepted: 'Khách đồng ý', quoteStatus_rejected: 'Khách từ chối',
      quoteAccepted: 'Báo giá {{code}}: khách đồng ý',
      quoteAcceptedOfferWin: 'Báo giá {{code}}: khách đồng ý. Bấm "Thắng cơ hội theo báo giá" để ghi thắng {{opportunity}} với tổng báo giá.',
      quoteRejected: 'Báo giá {{code}}: khách từ chối',
      quoteWon: 'Đã ghi thắng {{opportunity}} với tổng báo giá',
      crmError_notFound_product: 'Không tìm thấy sản phẩm này.',
      crmError_product_nameRequired: 'Sản phẩm cần có tên.',
      crmError_product_priceInvalid: 'Đơn giá không hợp lệ: nhập số đồng không âm, ví dụ 1.500.000, 1,5tr, 500k.',
      crmError_notFound_quote: 'Không tìm thấy báo giá này.',
      crmError_quote_notSent: 'Chỉ đánh dấu được báo giá đã gửi (và chỉ thắng cơ hội khi khách đã đồng ý).',
    },
  },
  en: {
    labels: { Product: 'Products & services', Quote: 'Quotes', channel: { staff: 'Forwarded by staff' } },
    actions: { accept: 'Customer accepted', reject: 'Customer rejected', winOpportunity: 'Win the opportunity with this quote', logo: 'Company logo' },
    resources: {
      Product: { properties: { name: 'Name', unit: 'Unit', price: 'Unit price (₫)', active: 'On sale' } },
      Quote: {
        labels: { status: { draft: 'Draft', sent: 'Sent', accepted: 'Accepted', rejected: 'Rejected' } },
        properties: {
          code: 'Quote no.', customer: 'Customer', opportunity: 'Opportunity', lines: 'Lines', subtotal: 'Subtotal',
          discountAmount: 'Discount', total: 'Total', status: 'Status', channel: 'Sent on', sentAt: 'Sent at', decidedAt: 'Answered at',
          createdBy: 'Quoted by', pdf: 'PDF file',
        },
      },
    },
    messages: {
      quoteCardTitle: 'Quotes',
      companyLogoTitle: 'Company logo', companyLogoHelp: 'Printed at the top of every quote PDF. A PNG or JPEG image, up to 200 KB.', companyLogoRemove: 'Remove logo',
      companyLogoSaved: 'Logo saved', companyLogoRemoved: 'Logo removed', companyLogoTooBig: 'The image is too big: 200 KB at most.',
      quoteCol_name: 'Product / service', quoteCol_unit: 'Unit', quoteCol_quantity: 'Quantity', quoteCol_unitPrice: 'Unit price', quoteCol_total: 'Amount',
      quoteDownloadPdf: 'Download PDF',
      quoteStatus_draft: 'Draft', quoteStatus_sent: 'Sent', quoteStatus_accepted: 'Accepted', quoteStatus_rejected: 'Rejected',
      quoteAccepted: 'Quote {{code}}: accepted',
      quoteAcceptedOfferWin: 'Quote {{code}}: accepted. Use "Win the opportunity with this quote" to win {{opportunity}} with the quote total.',
      quoteRejected: 'Quote {{code}}: rejected',
      quoteWon: '{{opportunity}} won with the quote total',
      crmError_notFound_product: 'This product was not found.',
      crmError_product_nameRequired: 'A product needs a name.',
      crmError_product_priceInvalid: 'Invalid price: enter whole đồng, not negative, e.g. 1.500.000, 1.5tr, 500k.',
      crmError_notFound_quote: 'This quote was not found.',
      crmError_quote_notSent: 'Only a sent quote can be marked (and an opportunity won only once the customer accepted).',
    },
  },
};

import type { PanelTexts } from './merge.js';
import comments from '../../i18n/comments.js';
import { noticeKey } from '../respond.js';

/** The refusals of crm/comments as panel notices, from the chat's own texts (`{x}` → `{{x}}`). */
function refusals(lang: 'vi' | 'en'): Record<string, string> {
  return Object.fromEntries(
    Object.entries(comments[lang] as Record<string, string>)
      .filter(([key]) => key.startsWith('error.'))
      .map(([key, text]) => [noticeKey(key.slice('error.'.length)), text.replace(/\{(\w+)\}/g, '{{$1}}')]),
  );
}

/** The comment section of the customer page (comments, followers, filtered history, "Mới cập nhật"), merged over admin/locale.ts. */
export const commentsTexts: PanelTexts = {
  vi: {
    resources: { Organization: { properties: { comments: 'Trao đổi nội bộ' } }, Opportunity: { properties: { comments: 'Trao đổi nội bộ' } } },
    actions: { addComment: 'Bình luận', editComment: 'Sửa bình luận', deleteComment: 'Xoá bình luận', removeFollower: 'Bỏ người theo dõi' },
    messages: {
      cmTitle: 'Trao đổi nội bộ', cmPlaceholder: 'Viết bình luận cho cả đội… Gõ @tên để nhắc đồng nghiệp (ví dụ @lan hoặc @tran.lan).',
      cmSend: 'Gửi bình luận', cmEdit: 'Sửa', cmDelete: 'Xoá', cmSave: 'Lưu', cmCancel: 'Huỷ', cmEdited: 'đã sửa', cmNone: 'Chưa có trao đổi nào.',
      cmEditHelp: 'Bạn sửa hoặc xoá được bình luận của mình trong 2 giờ.', cmConfirmDelete: 'Xoá bình luận này?',
      cmFollowers: 'Người theo dõi', cmNoFollowers: 'Chưa có ai theo dõi.', cmRemove: 'Bỏ theo dõi',
      cmFollowing: 'Bạn đang theo dõi khách này: bạn xem và trao đổi được, không thay đổi được thông tin.',
      cmUnread: 'Mới cập nhật: {{count}} bình luận chưa đọc', cmUnreadTitle: 'Mới cập nhật (bình luận chưa đọc)', cmHistory: 'Lịch sử',
      cmFilter_all: 'Tất cả', cmFilter_comments: 'Trao đổi', cmFilter_interactions: 'Tương tác', cmFilter_stages: 'Giai đoạn',
      cmSystem: 'hệ thống', cmCustomerSide: 'khách',
      commentSaved: 'Đã lưu bình luận', commentSavedNotified: 'Đã lưu bình luận và báo cho {{names}}',
      commentSavedUnknown: 'Đã lưu bình luận. Không tìm thấy đồng nghiệp nào tên {{unknown}}.',
      commentEdited: 'Đã sửa bình luận', commentDeleted: 'Đã xoá bình luận', followerRemoved: 'Đã bỏ quyền theo dõi',
      commentSavedUnseen_organization: 'Đã lưu bình luận. {{unseen}} không xem được tổ chức này nên không được nhắc.',
      commentSavedUnseen_opportunity: 'Đã lưu bình luận. {{unseen}} không xem được cơ hội này nên không được nhắc.',
      cmTargetHelp: 'Chỉ người xem được mục này mới được nhắc; nhắc tên ở đây không mở quyền xem cho ai.',
      ...refusals('vi'),
    },
  },
  en: {
    resources: { Organization: { properties: { comments: 'Team talk' } }, Opportunity: { properties: { comments: 'Team talk' } } },
    actions: { addComment: 'Comment', editComment: 'Edit comment', deleteComment: 'Delete comment', removeFollower: 'Remove follower' },
    messages: {
      cmTitle: 'Team talk', cmPlaceholder: 'Write a comment for the team… Type @name to mention a colleague (e.g. @lan or @tran.lan).',
      cmSend: 'Post comment', cmEdit: 'Edit', cmDelete: 'Delete', cmSave: 'Save', cmCancel: 'Cancel', cmEdited: 'edited', cmNone: 'No comments yet.',
      cmEditHelp: 'You can edit or delete your own comments for 2 hours.', cmConfirmDelete: 'Delete this comment?',
      cmFollowers: 'Followers', cmNoFollowers: 'Nobody follows this customer.', cmRemove: 'Remove',
      cmFollowing: 'You follow this customer: you can read and comment, not change its details.',
      cmUnread: 'Unread: {{count}} comments', cmUnreadTitle: 'Unread comments', cmHistory: 'History',
      cmFilter_all: 'Everything', cmFilter_comments: 'Comments', cmFilter_interactions: 'Interactions', cmFilter_stages: 'Stages',
      cmSystem: 'system', cmCustomerSide: 'customer',
      commentSaved: 'Comment saved', commentSavedNotified: 'Comment saved; {{names}} notified',
      commentSavedUnknown: 'Comment saved. No colleague is called {{unknown}}.',
      commentEdited: 'Comment edited', commentDeleted: 'Comment deleted', followerRemoved: 'Follower removed',
      commentSavedUnseen_organization: 'Comment saved. {{unseen}} cannot see this organization, so they were not mentioned.',
      commentSavedUnseen_opportunity: 'Comment saved. {{unseen}} cannot see this opportunity, so they were not mentioned.',
      cmTargetHelp: 'Only people who can see this record can be mentioned; a mention here gives nobody access.',
      ...refusals('en'),
    },
  },
};

from django.contrib import admin
from django.urls import path

from dangvu.api.main import api
from dangvu.web.views import (
    audit,
    auth,
    errors,
    exports,
    grants,
    imports,
    members,
    orgs,
    pickers,
    reports,
    review,
    tables,
    tokens,
    work,
)

urlpatterns = [
    path("", auth.home, name="home"),
    path("dang-nhap/", auth.login_view, name="login"),
    path("dang-xuat/", auth.logout_view, name="logout"),
    path("tai-khoan/xac-thuc-hai-buoc/", auth.totp_setup, name="totp_setup"),
    path("tai-khoan/khoa-api/", tokens.tokens, name="api_tokens"),
    # search-as-you-type pickers (dangvu.web.pickers)
    path("chon/to-chuc/", pickers.pick_org, name="pick_org"),
    path("chon/dang-vien/", pickers.pick_member, name="pick_member"),
    # organizations
    path("cay/", orgs.tree, name="tree"),
    path("cay/con/<str:code>/", orgs.tree_children, name="tree_children"),
    path("to-chuc/<str:code>/", orgs.dashboard, name="dashboard"),
    path("to-chuc/<str:code>/canh-bao/", orgs.dashboard_alerts, name="dashboard_alerts"),
    path("to-chuc/<str:code>/canh-bao/tat-ca/", work.alerts_page, name="alerts_page"),
    path("to-chuc/<str:code>/chi-tieu/", orgs.dashboard_targets, name="dashboard_targets"),
    path("to-chuc/<str:code>/lich-su/", orgs.org_history, name="org_history"),
    # members
    path("dang-vien/", members.member_list, name="members"),
    path("dang-vien/moi/", members.member_create, name="member_new"),
    path("dang-vien/xuat/", members.member_export, name="member_export"),
    path("dang-vien/<str:code>/", members.member_profile, name="member_profile"),
    path("dang-vien/<str:code>/in/", members.member_print, name="member_print"),
    path("dang-vien/<str:code>/hien/<str:field>/", members.member_reveal, name="member_reveal"),
    path("dang-vien/<str:code>/su-kien/<str:kind>/", members.member_event, name="member_event"),
    # the review
    path("danh-gia/", review.review_index, name="review_index"),
    path("danh-gia/mo/", review.cycle_open, name="cycle_open"),
    path("danh-gia/tu-danh-gia/", review.self_review, name="self_review"),
    path("danh-gia/<int:pk>/", review.cycle_page, name="cycle"),
    path("danh-gia/<int:pk>/ket-thuc/", review.cycle_close, name="cycle_close"),
    path("danh-gia/<int:pk>/mo-lai/", review.cycle_reopen, name="cycle_reopen"),
    path("danh-gia/<int:pk>/don-vi/<str:code>/", review.unit_review, name="unit_review"),
    path("danh-gia/<int:pk>/han-muc/<str:code>/", review.quota_meter, name="quota_meter"),
    path("danh-gia/<int:pk>/don-vi/<str:code>/danh-sach/", review.unit_results_print, name="unit_results_print"),
    # work records
    path("cong-tac/", work.work_index, name="work_index"),
    path("cong-tac/ket-nap/<int:pk>/<str:step>/", work.candidate_step, name="candidate_step"),
    path("cong-tac/<str:slug>/", work.work_list, name="work_list"),
    path("cong-tac/<str:slug>/xuat/", work.work_export, name="work_export"),
    # list exports: the job's page, its file (the owner's only)
    path("xuat/<str:job>/", exports.export_job, name="export_job"),
    path("xuat/<str:job>/tai/", exports.export_download, name="export_download"),
    # import
    path("nhap/", imports.import_upload, name="import_upload"),
    path("nhap/mau.xlsx", imports.import_template, name="import_template"),
    path("nhap/tien-trinh/<str:job>/", imports.import_job, name="import_job"),
    # an office's own list: upload → mapping → check → apply (issue 15, item 2)
    path("nhap/danh-sach/", imports.list_upload, name="import_list_upload"),
    path("nhap/danh-sach/ghep-cot/<str:token>/", imports.list_mapping, name="import_list_mapping"),
    path("nhap/danh-sach/kiem-tra/<str:token>/", imports.list_check, name="import_list_check"),
    path("nhap/danh-sach/kiem-tra/<str:token>/ghi/", imports.list_apply, name="import_list_apply"),
    path("nhap/danh-sach/tien-trinh/<str:job>/", imports.list_job, name="import_list_job"),
    path("nhap/danh-sach/mau/", imports.list_layouts, name="import_list_layouts"),
    path("nhap/danh-sach/xuat/<str:job>/", imports.list_export_job, name="import_list_export_job"),
    path("nhap/danh-sach/xuat/<str:job>/tai/", imports.list_export_download, name="import_list_export_download"),
    path("nhap/<str:token>/", imports.import_preview, name="import_preview"),
    path("nhap/<str:token>/ghi/", imports.import_apply, name="import_apply"),
    # audit, reports
    path("nhat-ky/", audit.audit_log, name="audit_log"),
    path("bao-cao/", reports.reports, name="reports"),
    path("bao-cao/<str:job>/", reports.report_job, name="report_job"),
    path("bao-cao/<str:job>/tai/<str:name>", reports.report_download, name="report_download"),
    path("bao-cao/van-ban/<int:pk>/", reports.report_document, name="report_document"),
    path("bao-cao/van-ban/<int:pk>/ban-hanh/", reports.report_issue_view, name="report_issue"),
    path("bao-cao/van-ban/<int:pk>/tai/<str:name>", reports.report_document_download, name="report_document_download"),
    # the basic statistics tables (dangvu.tables)
    path("bieu-thong-ke/", tables.tables_page, name="tables"),
    path("bieu-thong-ke/o/", tables.table_cell, name="table_cell"),
    path("bieu-thong-ke/tai/", tables.tables_download, name="tables_download"),
    path("phan-quyen/", grants.grants, name="grants"),
    path("phan-quyen/<int:pk>/ket-thuc/", grants.grant_end, name="grant_end"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),  # the JSON API (dangvu/api, docs/api.md)
]

# The product's own error pages (dangvu/web/views/errors.py), in Vietnamese and in the layout.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

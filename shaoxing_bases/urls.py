from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "绍兴市市级高技能人才公共实训基地管理平台 · 系统管理"
admin.site.site_title = "实训基地平台管理"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", include("shaoxing_bases.core.urls")),
    path("accounts/", include("shaoxing_bases.accounts.urls")),
    path("inbox/", include("shaoxing_bases.notifications.urls")),
    path("audit/", include("shaoxing_bases.audit.urls")),
    path("", include("applications.urls")),
    path("review/", include("review.urls")),
    path("verify/", include("shaoxing_bases.documents.urls")),
    path("gongshi/", include("review.publicity.public_urls")),
    path("bases/", include("reporting.bases.urls")),
    path("annual-reports/", include("reporting.annual.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "shaoxing_bases.core.views.bad_request"
handler403 = "shaoxing_bases.core.views.permission_denied"
handler404 = "shaoxing_bases.core.views.page_not_found"
handler500 = "shaoxing_bases.core.views.server_error"

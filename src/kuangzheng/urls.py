from django.contrib import admin
from django.urls import include, path

from kuangzheng.api.routes import api

admin.site.site_header = "矿政 Kuangzheng 后台管理"
admin.site.site_title = "矿政后台"
admin.site.index_title = "登记簿管理"

handler500 = "kuangzheng.portal.middleware.server_error"  # a busy database answers 503, not 500

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("monitoring/", include("kuangzheng.monitoring.urls")),
    path("hj212/", include("kuangzheng.hj212.urls")),
    path("restoration/", include("kuangzheng.restoration.urls")),
    path("", include("kuangzheng.supervision.urls")),
    path("", include("kuangzheng.applications.urls")),
    path("", include("kuangzheng.credit.urls")),
    path("", include("kuangzheng.notices.urls")),
    path("ogcapi/", include("kuangzheng.disclosure.urls")),
    path("", include("kuangzheng.compliance.urls")),
    path("", include("kuangzheng.registry.urls")),
    path("", include("kuangzheng.access.urls")),
    path("", include("kuangzheng.audit.urls")),
    path("", include("kuangzheng.portal.urls")),
]

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/history/", admin.site.admin_view(views.timeline_view), name="history_timeline"),
    path("admin/history/export/", admin.site.admin_view(views.timeline_export), name="history_timeline_export"),
    path("admin/history/summary/", admin.site.admin_view(views.summary_view), name="history_summary"),
    path("admin/history/summary/export/", admin.site.admin_view(views.summary_export), name="history_summary_export"),
    path("admin/", admin.site.urls),
]

handler403 = "project.errors.permission_denied"
handler404 = "project.errors.page_not_found"
handler500 = "project.errors.server_error"

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CenterAdminConfig(admin_apps.AdminConfig):
    """Makes the center's AdminSite the default `admin.site`."""

    default = False
    default_site = "project.admin_site.CenterAdminSite"


class ProjectConfig(AppConfig):
    default = True
    name = "project"
    verbose_name = "系统"

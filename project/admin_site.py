from django.contrib import admin


class CenterAdminSite(admin.AdminSite):
    pass

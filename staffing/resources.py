"""Placeholder: replaced by the import resources."""

from import_export import resources

from .models import CalendarDay, Department, Staff, Window


class DepartmentResource(resources.ModelResource):
    class Meta:
        model = Department


class WindowResource(resources.ModelResource):
    class Meta:
        model = Window


class StaffResource(resources.ModelResource):
    class Meta:
        model = Staff


class CalendarDayResource(resources.ModelResource):
    class Meta:
        model = CalendarDay

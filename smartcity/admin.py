"""Django admin for people, regions and the framework."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from smartcity.models import Membership, Province, Region, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["region", "province"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Preferences"), {"fields": ("language",)}),
    )
    list_display = ("username", "email", "first_name", "last_name", "language", "is_active")
    inlines = [MembershipInline]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province", "cohort_year")
    list_filter = ("kind", "cohort_year", "province")
    search_fields = ("code", "name")
    list_select_related = ("province",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "province", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "region__name", "province__name")
    list_select_related = ("user", "region", "province")
    autocomplete_fields = ["user", "region", "province"]

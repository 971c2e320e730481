"""Django admin for people, regions and the framework."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smartcity.models import (
    Element,
    Framework,
    Indicator,
    LevelDescriptor,
    Membership,
    Pillar,
    Province,
    Region,
    User,
)
from smartcity.services import FrameworkRefused, framework_publish

# The admin carries the product's name, not Django's.
admin.site.site_header = _("Smart City Maturity · administration")
admin.site.site_title = _("Smart City Maturity administration")
admin.site.index_title = _("Regions, people, frameworks and assessments")


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


# --- The framework: created by `load_framework`, read-only once published ---
class PublishedFrameworkReadOnly:
    """Change and delete only while the framework (of this part) is a draft; never add.

    Frameworks and their parts come from framework files through `load_framework`; a published
    version never changes, so the admin only shows it.
    """

    framework_path: tuple[str, ...] = ("framework",)

    def framework_of(self, obj) -> Framework:
        for attribute in self.framework_path:
            obj = getattr(obj, attribute)
        return obj

    def is_frozen(self, obj) -> bool:
        return obj is not None and self.framework_of(obj).is_published

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self.is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self.is_frozen(obj) and super().has_delete_permission(request, obj)


class PillarInline(admin.TabularInline):
    """The framework's pillars, read-only: each opens in its own page."""

    model = Pillar
    fields = ("position", "code", "kind", "name_id", "name_en", "weight")
    readonly_fields = fields
    ordering = ("position",)
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class LevelDescriptorInline(PublishedFrameworkReadOnly, admin.TabularInline):
    """An indicator's level descriptors: texts editable on a draft, never added or removed."""

    model = LevelDescriptor
    fields = ("level", "text_id", "text_en", "next_id", "next_en")
    readonly_fields = ("level",)
    ordering = ("level",)
    extra = 0
    can_delete = False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Framework)
class FrameworkAdmin(PublishedFrameworkReadOnly, admin.ModelAdmin):
    framework_path = ()
    list_display = ("slug", "version", "title_id", "status", "published_at")
    list_filter = ("status", "slug")
    search_fields = ("slug", "title_id", "title_en")
    ordering = ("slug", "-version")
    # Content only ever comes from framework files (so the content hash stays true): the admin
    # shows a version, publishes drafts and deletes unused drafts.
    readonly_fields = (
        "slug",
        "version",
        "status",
        "title_id",
        "title_en",
        "description_id",
        "description_en",
        "previous",
        "content_hash",
        "loaded_at",
        "published_at",
        "published_by",
    )
    fields = (
        ("slug", "version", "status"),
        "title_id",
        "title_en",
        "description_id",
        "description_en",
        "previous",
        ("published_at", "published_by"),
        ("loaded_at", "content_hash"),
    )
    inlines = [PillarInline]
    actions = ["publish_selected"]

    @admin.action(description=_("Publish selected drafts"), permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Framework]) -> None:
        published = 0
        for framework in queryset.order_by("slug", "version"):
            try:
                framework_publish(framework=framework, user=request.user)
            except FrameworkRefused as refusal:
                self.message_user(request, f"{framework}: {refusal}", messages.WARNING)
            else:
                published += 1
                self.message_user(
                    request,
                    gettext("%(framework)s is published.") % {"framework": framework},
                    messages.SUCCESS,
                )
        if not published:
            self.message_user(request, gettext("Nothing was published."), messages.WARNING)


class FrameworkPartAdmin(PublishedFrameworkReadOnly, admin.ModelAdmin):
    search_fields = ("code", "name_id", "name_en")
    list_filter = ("framework",)
    ordering = ("framework", "position")

    # Parts change only by loading a framework file (a draft's content is replaced as a whole).
    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("framework")


@admin.register(Pillar)
class PillarAdmin(FrameworkPartAdmin):
    list_display = ("code", "name_id", "kind", "weight", "framework")
    list_filter = ("framework", "kind")
    readonly_fields = (*FrameworkPartAdmin.readonly_fields, "kind")
    fields = (
        "framework",
        "code",
        "kind",
        "name_id",
        "name_en",
        "description_id",
        "description_en",
        "weight",
        "position",
    )


@admin.register(Element)
class ElementAdmin(FrameworkPartAdmin):
    list_display = ("code", "name_id", "pillar", "weight", "framework")
    readonly_fields = (*FrameworkPartAdmin.readonly_fields, "pillar")
    fields = (
        "framework",
        "pillar",
        "code",
        "name_id",
        "name_en",
        "description_id",
        "description_en",
        "weight",
        "position",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("pillar")


@admin.register(Indicator)
class IndicatorAdmin(FrameworkPartAdmin):
    list_display = (
        "code",
        "name_id",
        "element",
        "weight",
        "evidence_from_level",
        "allow_na",
        "framework",
    )
    list_filter = ("framework", "allow_na")
    readonly_fields = (
        *FrameworkPartAdmin.readonly_fields,
        "element",
        "evidence_from_level",
        "allow_na",
    )
    fields = (
        "framework",
        "element",
        "code",
        "name_id",
        "name_en",
        "description_id",
        "description_en",
        "weight",
        "evidence_from_level",
        "allow_na",
        "position",
    )
    inlines = [LevelDescriptorInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("element")

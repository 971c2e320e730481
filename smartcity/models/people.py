"""Users and their memberships: which role a person has, and over which regions."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smartcity.models.regions import Province, Region


class User(AbstractUser):
    """A person who signs in. `language` is their preferred interface and e-mail language."""

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    OFFICIAL = "official", _("Regional official")
    FACILITATOR = "facilitator", _("Ministry facilitator")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    """Binds a user to a role and a scope; the only source of what a user may see and do.

    - official: one region (`region` set);
    - facilitator: one region or a whole province (exactly one of `region`, `province`);
    - administrator: national (neither set).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("region"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("province"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_fits_role",
                condition=(
                    Q(role=Role.OFFICIAL, region__isnull=False, province__isnull=True)
                    | Q(role=Role.FACILITATOR, region__isnull=False, province__isnull=True)
                    | Q(role=Role.FACILITATOR, region__isnull=True, province__isnull=False)
                    | Q(role=Role.ADMIN, region__isnull=True, province__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False),
                name="membership_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "province"],
                condition=Q(province__isnull=False),
                name="membership_unique_province",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role="admin"),
                name="membership_unique_admin",
            ),
        ]

    def __str__(self) -> str:
        scope = self.region or self.province or _("national")
        return f"{self.user} · {self.get_role_display()} · {scope}"

    def clean(self) -> None:
        if self.role == Role.OFFICIAL and (not self.region or self.province):
            raise ValidationError(_("A regional official belongs to exactly one region."))
        if self.role == Role.FACILITATOR and bool(self.region) == bool(self.province):
            raise ValidationError(_("A facilitator is assigned either one region or one province."))
        if self.role == Role.ADMIN and (self.region or self.province):
            raise ValidationError(
                _("An administrator has national scope: leave region and province empty.")
            )

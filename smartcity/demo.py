"""The core's demo data for `make run`: the program regions, the default framework and one person
per role.

`seed_demo` runs every app's seeder named in `settings.DEMO_SEEDERS`, in layer order; this is the
first. Every app seeds its own part in its own demo.py, so the core knows none of them.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation

from smartcity.framework_files import read_framework_file
from smartcity.models import Framework, Membership, Province, Region, Role, User
from smartcity.region_files import read_centroid_file, read_province_file, read_region_file
from smartcity.services import framework_load, regions_import

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "kotacerdas-demo"
DEMO_MAIL_DOMAIN = "demo.kotacerdas.example"
DEFAULT_FRAMEWORK = FIXTURES / "frameworks" / "kota-cerdas-v1.yaml"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    role: str
    region_code: str | None = None
    province_code: str | None = None

    @property
    def email(self) -> str:
        """Where the demo's notifications go (the console under `make run`)."""
        return f"{self.username}@{DEMO_MAIL_DOMAIN}"


DEMO_PEOPLE = (
    DemoPerson("admin", "Admin Nasional", Role.ADMIN),
    DemoPerson("fasilitator", "Fasilitator Kementerian", Role.FACILITATOR, province_code="19"),
    DemoPerson("pangkalpinang", "Operator Pangkal Pinang", Role.OFFICIAL, region_code="19.71"),
    DemoPerson("bangkaselatan", "Operator Bangka Selatan", Role.OFFICIAL, region_code="19.03"),
    # Three Banten regions in the assessments' demo of the review loop, facilitated by the same
    # person (a second membership).
    DemoPerson("fasilitator", "Fasilitator Kementerian", Role.FACILITATOR, province_code="36"),
    DemoPerson("kotatangerang", "Operator Kota Tangerang", Role.OFFICIAL, region_code="36.71"),
    DemoPerson("tangsel", "Operator Tangerang Selatan", Role.OFFICIAL, region_code="36.74"),
    DemoPerson("kabtangerang", "Operator Kabupaten Tangerang", Role.OFFICIAL, region_code="36.03"),
)


def load_demo_regions() -> None:
    """The 38 provinces and the documented program regions from fixtures/regions/, placed on the
    map by the centroids of fixtures/geo/."""
    provinces = read_province_file(FIXTURES / "regions" / "provinces.csv")
    regions = read_region_file(
        FIXTURES / "regions" / "program_regions.csv", {row.code for row in provinces}
    )
    centroids = read_centroid_file(FIXTURES / "geo" / "centroids.csv")
    regions_import(provinces=provinces, regions=regions, centroids=centroids)


def load_demo_framework() -> Framework:
    """The default framework, published (loading it again changes nothing)."""
    spec = read_framework_file(DEFAULT_FRAMEWORK)
    return framework_load(spec=spec, publish=True).framework


@transaction.atomic
def load_demo_people() -> list[DemoLogin]:
    """One person per role, all with DEMO_PASSWORD; idempotent."""
    logins = []
    for person in DEMO_PEOPLE:
        user, _created = User.objects.get_or_create(
            username=person.username, defaults={"first_name": person.first_name}
        )
        user.set_password(DEMO_PASSWORD)
        user.email = person.email
        user.is_staff = user.is_superuser = person.role == Role.ADMIN
        user.save()
        region = Region.objects.get(code=person.region_code) if person.region_code else None
        province = Province.objects.get(code=person.province_code) if person.province_code else None
        Membership.objects.get_or_create(
            user=user, role=person.role, region=region, province=province
        )
        scope = region or province or "Indonesia"
        logins.append(DemoLogin(person.username, str(Role(person.role).label), str(scope)))
    return logins


def seed() -> list[str]:
    """Seed the core's demo data (idempotent); returns the lines `seed_demo` prints: the logins,
    with role names in Indonesian as the app shows them, and the framework."""
    load_demo_regions()
    framework = load_demo_framework()
    with translation.override("id"):
        logins = load_demo_people()
    return [
        f"Demo logins (password for all: {DEMO_PASSWORD})",
        *(f"  {login.username:<15} {login.role:<24} {login.scope}" for login in logins),
        f"Framework: {framework.slug} v{framework.version} (published)",
        f"E-mails to the demo people (<login>@{DEMO_MAIL_DOMAIN}) are printed in this console.",
    ]

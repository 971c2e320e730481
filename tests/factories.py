"""factory_boy factories for the core domain and the assessment workflow."""

import datetime
import functools

import factory

from assessments.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Cycle,
    EventKind,
    Evidence,
    EvidenceKind,
    IndicatorResponse,
    ResponseComment,
)
from smartcity.framework_files import FrameworkSpec, read_framework_file
from smartcity.models import (
    Framework,
    Indicator,
    Membership,
    Province,
    Region,
    RegionKind,
    Role,
    User,
)
from smartcity.services import framework_load
from tests.helpers import TEST_FRAMEWORKS

DEFAULT_PASSWORD = "sandi-uji-yang-panjang"
SMALL_FRAMEWORK = TEST_FRAMEWORKS / "small.yaml"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{60 + n % 39:02d}")
    name = factory.LazyAttribute(lambda o: f"Provinsi {o.code}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"99.{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Kota Contoh {n}")
    kind = RegionKind.KOTA
    cohort_year = 2022


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.go.id")
    language = "id"
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.OFFICIAL
    region = factory.SubFactory(RegionFactory)


# --- The assessment workflow ----------------------------------------------------------------------
@functools.cache
def _small_framework_spec() -> FrameworkSpec:
    return read_framework_file(SMALL_FRAMEWORK)


FRAMEWORK_ORDER = ("element__pillar__position", "element__position", "position")


def small_framework() -> Framework:
    """The small test framework (tests/fixtures/frameworks/small.yaml: a 0-3 scale, a readiness
    pillar and a dimension, 2 elements x 2 indicators each), published; loading it again in the
    same database returns the same version."""
    return framework_load(spec=_small_framework_spec(), publish=True).framework


class CycleFactory(factory.django.DjangoModelFactory):
    """A cycle on the small test framework; regions get assessments through AssessmentFactory
    (the cycle_open service is what tests of opening a cycle use)."""

    class Meta:
        model = Cycle

    year = 2026
    title = factory.Sequence(lambda n: f"Siklus Uji {n}")
    framework = factory.LazyFunction(small_framework)
    opens_on = datetime.date(2026, 3, 2)
    closes_on = datetime.date(2026, 6, 30)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment with one empty response per indicator of its cycle's framework
    (`responses=False` for none)."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    region = factory.SubFactory(RegionFactory)
    status = AssessmentStatus.DRAFT

    @factory.post_generation
    def responses(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        indicators = Indicator.objects.filter(element__pillar__framework=obj.cycle.framework_id)
        for indicator in indicators.order_by(*FRAMEWORK_ORDER):
            IndicatorResponse.objects.create(assessment=obj, indicator=indicator)


def _first_free_indicator(response) -> Indicator:
    taken = response.assessment.responses.values("indicator_id")
    return (
        Indicator.objects.filter(element__pillar__framework=response.assessment.cycle.framework_id)
        .exclude(pk__in=taken)
        .order_by(*FRAMEWORK_ORDER)
        .first()
    )


class IndicatorResponseFactory(factory.django.DjangoModelFactory):
    """A response of a new assessment (without other responses) to its framework's first
    indicator not yet answered."""

    class Meta:
        model = IndicatorResponse

    assessment = factory.SubFactory(AssessmentFactory, responses=False)
    indicator = factory.LazyAttribute(_first_free_indicator)


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A link as evidence (files go through the evidence service, which checks their content)."""

    class Meta:
        model = Evidence

    response = factory.SubFactory(IndicatorResponseFactory)
    kind = EvidenceKind.LINK
    url = factory.Sequence(lambda n: f"https://jdih.example.go.id/bukti/{n}")
    description = "Dokumen pendukung"


class ResponseCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponseComment

    response = factory.SubFactory(IndicatorResponseFactory)
    author = factory.SubFactory(UserFactory)
    body = "Mohon lengkapi buktinya."


class AssessmentEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentEvent

    assessment = factory.SubFactory(AssessmentFactory, responses=False)
    kind = EventKind.OPENED

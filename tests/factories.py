"""factory_boy factories for the core domain."""

import factory

from smartcity.models import Membership, Province, Region, RegionKind, Role, User

DEFAULT_PASSWORD = "sandi-uji-yang-panjang"


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

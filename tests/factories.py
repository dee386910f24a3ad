"""factory_boy factories for the case record, shared by every test module."""

from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from portal.choices import CarerKind, Gender, LegalStatus, ProviderKind, Role, TeamKind
from portal.models import (
    CarerHousehold,
    Child,
    Home,
    Involvement,
    Placement,
    Provider,
    Team,
    User,
)


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    kind = TeamKind.CHILDREN_SOCIAL_WORK
    area = "North"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.SOCIAL_WORKER
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Provider {n} Ltd")
    kind = ProviderKind.FOSTERING_AGENCY


class CarerHouseholdFactory(DjangoModelFactory):
    class Meta:
        model = CarerHousehold

    name = factory.Sequence(lambda n: f"Carer household {n}")
    kind = CarerKind.IN_HOUSE_FOSTER
    local_reference = factory.Sequence(lambda n: f"FC{n:06d}")
    approved_on = date(2018, 5, 1)


class HomeFactory(DjangoModelFactory):
    class Meta:
        model = Home

    name = factory.Sequence(lambda n: f"Home {n}")


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(2014, 3, 2)
    gender = Gender.FEMALE
    local_reference = factory.Sequence(lambda n: f"SU{n:07d}")
    legal_status = LegalStatus.C2
    area = "North"
    team = factory.SubFactory(TeamFactory)
    social_worker = factory.SubFactory(UserFactory, role=Role.SOCIAL_WORKER)


class PlacementFactory(DjangoModelFactory):
    """An in-house foster placement (U6 with PR1) by default."""

    class Meta:
        model = Placement

    child = factory.SubFactory(ChildFactory)
    placement_type = "U6"
    provider_code = "PR1"
    carer_household = factory.SubFactory(CarerHouseholdFactory)
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=400))

    class Params:
        agency_fostering = factory.Trait(
            placement_type="U4",
            provider_code="PR4",
            provider=factory.SubFactory(ProviderFactory),
            carer_household=factory.SubFactory(CarerHouseholdFactory, kind=CarerKind.AGENCY_FOSTER),
            notice_period_days=28,
            has_contingency_plan=True,
        )
        connected_person = factory.Trait(
            placement_type="U3",
            carer_household=factory.SubFactory(CarerHouseholdFactory, kind=CarerKind.CONNECTED_PERSON),
        )
        in_house_residential = factory.Trait(
            placement_type="K2", carer_household=None, home=factory.SubFactory(HomeFactory)
        )
        agency_residential = factory.Trait(
            placement_type="K2",
            provider_code="PR4",
            carer_household=None,
            provider=factory.SubFactory(ProviderFactory, kind=ProviderKind.CHILDRENS_HOME),
            home=factory.SubFactory(HomeFactory),
            notice_period_days=28,
            has_contingency_plan=True,
        )


class InvolvementFactory(DjangoModelFactory):
    class Meta:
        model = Involvement

    child = factory.SubFactory(ChildFactory)
    user = factory.SubFactory(UserFactory)
    role = "supervising_social_worker"
    start_date = date(2020, 1, 1)

"""factory_boy factories shared by the whole suite."""

import factory
from django.contrib.auth import get_user_model

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import Region
from shaoxing_bases.accounts.regions import ensure_shaoxing_counties

TEST_PASSWORD = "Test@Pass1234"


def region(code: str = "330602") -> Region:
    """The counties come from the data migration; a flushed database (transactional tests) gets
    them back here."""
    found = Region.objects.filter(code=code).first()
    if found is None:
        ensure_shaoxing_counties()
        found = Region.objects.get(code=code)
    return found


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.cn")
    role = Role.APPLICANT
    region = factory.LazyAttribute(lambda user: region() if user.role in Role.county_roles() else None)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def county_list_for(*, batch, region):
    """The county's recommendation list of `batch` (a draft, made on first use): test set-up only —
    the portal itself creates it on county HRSS's first change."""
    from review.screening.models import Recommendation

    recommendation, _created = Recommendation.objects.get_or_create(batch=batch, region=region)
    return recommendation

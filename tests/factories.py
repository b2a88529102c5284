"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model

from catalog.models import Credit, EditorialList, ListEntry, Person, Work


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("tissues-please-42")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Artist {n}")
    slug = factory.Sequence(lambda n: f"artist-{n}")


class WorkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Work

    kind = Work.Kind.MV
    title = factory.Sequence(lambda n: f"Sad Song {n}")
    slug = factory.Sequence(lambda n: f"sad-song-{n}")
    year = 2012
    blurb = "A quiet story about saying goodbye."


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    work = factory.SubFactory(WorkFactory)
    person = factory.SubFactory(PersonFactory)
    role = Credit.Role.ARTIST


class EditorialListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EditorialList

    title = factory.Sequence(lambda n: f"Saddest list {n}")
    slug = factory.Sequence(lambda n: f"saddest-list-{n}")
    source_kind = EditorialList.SourceKind.ARTICLE
    intro = "Tissues ready."


class ListEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListEntry
        skip_postgeneration_save = True

    editorial_list = factory.SubFactory(EditorialListFactory)
    order = factory.Sequence(lambda n: n)
    position = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def works(self, create, extracted, **kwargs):
        if create and extracted:
            self.works.set(extracted)


def work_with_artist(**kwargs):
    """A published work credited to a fresh artist."""
    work = WorkFactory(**kwargs)
    CreditFactory(work=work)
    return work

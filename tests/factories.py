"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

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


# --- comments -------------------------------------------------------------------------
from comments.models import Comment, Flag, MeToo  # noqa: E402


class CommentFactory(factory.django.DjangoModelFactory):
    """A top-level comment on a fresh work; pass parent= for a reply in its thread."""

    class Meta:
        model = Comment

    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"I cried at the ending ({n}).")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.get("parent")
        if parent is not None:
            kwargs["work"] = parent.work
            kwargs["editorial_list"] = parent.editorial_list
            kwargs["root"] = parent.root if parent.root_id else parent
            kwargs["depth"] = parent.depth + 1
        elif kwargs.get("work") is None and kwargs.get("editorial_list") is None:
            kwargs["work"] = WorkFactory()
        return super()._create(model_class, *args, **kwargs)


class MeTooFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeToo

    comment = factory.SubFactory(CommentFactory)
    member = factory.SubFactory(UserFactory)


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    comment = factory.SubFactory(CommentFactory)
    member = factory.SubFactory(UserFactory)
    reason = Flag.Reason.SPAM


def comment_chain(parent, length, **kwargs):
    """`length` replies, each answering the one before: parent → r1 → r2 → …"""
    chain = []
    for _ in range(length):
        parent = CommentFactory(parent=parent, **kwargs)
        chain.append(parent)
    return chain


# --- votes -------------------------------------------------------------------------------


class RatingFactory(factory.django.DjangoModelFactory):
    """A bare Rating row, stored figures untouched: for constraint and drift tests only.

    Everything else rates through `votes.services.rating_set`, which keeps them exact.
    """

    class Meta:
        model = "votes.Rating"

    member = factory.SubFactory(UserFactory)
    work = factory.SubFactory(WorkFactory)
    tears = 3
    created = factory.LazyFunction(timezone.now)
    rated_at = factory.LazyAttribute(lambda rating: rating.created)


def rate(member, work, tears):
    """Rate as the site does (figures updated in the same transaction)."""
    from votes.services import rating_set

    return rating_set(member=member, work=work, tears=tears)


# --- member data, share cards ------------------------------------------------------------


def react(member, editorial_list, reaction):
    """React to a list as the site does (stored counts updated)."""
    from votes.services import reaction_set

    return reaction_set(member=member, editorial_list=editorial_list, reaction=reaction)


def work_with_poster(color=(200, 40, 40), **kwargs):
    """A published work with a real poster and its thumbnail, as admin stores them."""
    from catalog.posters import make_thumbnail
    from tests.images import image_upload

    work = WorkFactory(poster=image_upload(color=color), **kwargs)
    make_thumbnail(work)
    work.save()
    return work


def csv_upload(rows, name="ratings.csv", encoding="utf-8"):
    """An uploaded CSV file made from a list of rows (the first one is the header)."""
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


# --- catalog: community content notes and suggestions ------------------------------------


class ContentNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.ContentNote"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Heavy theme {n}")
    slug = factory.Sequence(lambda n: f"heavy-theme-{n}")


class SuggestionFactory(factory.django.DjangoModelFactory):
    """A pending suggestion stored directly; the site stores them through
    `catalog.services.suggestion_submit`, which also refuses duplicates."""

    class Meta:
        model = "catalog.Suggestion"

    member = factory.SubFactory(UserFactory)
    kind = "song"
    title = factory.Sequence(lambda n: f"Unlisted Ballad {n}")
    artist_or_director = factory.Sequence(lambda n: f"Singer {n}")
    year = 2019
    reason = "The bridge, every time."


def note_vote(member, work, note, present=True):
    """Vote on a content note as the site does (counts updated in the same transaction)."""
    from catalog.services import content_note_vote

    return content_note_vote(member=member, work=work, note=note, present=present)

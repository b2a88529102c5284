import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from kcry_site.accounts.services import member_delete
from tests.factories import (
    EditorialListFactory,
    RatingFactory,
    UserFactory,
    WorkFactory,
    rate,
)
from votes import services
from votes.models import ListReaction, ListReactionCounts, Rating, WorkDay, WorkStats
from votes.stats import recompute_all

pytestmark = pytest.mark.django_db


def figures(work):
    stats = WorkStats.objects.get(pk=work.pk)
    return stats.n, stats.total, stats.counts


def test_first_rating_creates_the_figures():
    work = WorkFactory()
    rate(UserFactory(), work, 4)
    assert figures(work) == (1, 4, [0, 0, 0, 0, 1, 0])


def test_changing_a_rating_moves_it_between_histogram_bars():
    work, member = WorkFactory(), UserFactory()
    rate(member, work, 1)
    rate(UserFactory(), work, 5)
    rate(member, work, 3)
    assert figures(work) == (2, 8, [0, 0, 0, 1, 0, 1])
    assert Rating.objects.get(member=member, work=work).tears == 3


def test_the_same_rating_again_changes_nothing():
    work, member = WorkFactory(), UserFactory()
    first = rate(member, work, 2)
    again = rate(member, work, 2)
    assert again.pk == first.pk
    assert figures(work) == (1, 2, [0, 0, 1, 0, 0, 0])


def test_withdrawing_takes_the_rating_out_of_the_figures():
    work, member = WorkFactory(), UserFactory()
    rate(member, work, 5)
    rate(UserFactory(), work, 2)
    assert services.rating_withdraw(member=member, work=work) is True
    assert figures(work) == (1, 2, [0, 0, 1, 0, 0, 0])
    assert not Rating.objects.filter(member=member).exists()


def test_withdrawing_nothing_says_so_and_changes_nothing():
    work = WorkFactory()
    rate(UserFactory(), work, 3)
    assert services.rating_withdraw(member=UserFactory(), work=work) is False
    assert services.rating_withdraw(member=UserFactory(), work=WorkFactory()) is False
    assert figures(work) == (1, 3, [0, 0, 0, 1, 0, 0])


def test_score_is_stored_with_the_write():
    work = WorkFactory()
    rate(UserFactory(), work, 5)
    stats = WorkStats.objects.get(pk=work.pk)
    # No baseline yet: C is the default 2.5 and m is 5.
    assert stats.score == pytest.approx((5 + 5 * 2.5) / 6)


@pytest.mark.parametrize("tears", [-1, 6, 2.5, "3", None, True])
def test_bad_tears_are_refused_and_nothing_is_stored(tears):
    work = WorkFactory()
    with pytest.raises(ValidationError):
        rate(UserFactory(), work, tears)
    assert not Rating.objects.exists()
    assert not WorkStats.objects.filter(n__gt=0).exists()


def test_unpublished_work_cannot_be_rated():
    work = WorkFactory(is_published=False)
    with pytest.raises(ValidationError):
        rate(UserFactory(), work, 3)
    assert not Rating.objects.exists()


def test_anonymous_or_inactive_members_cannot_rate():
    from django.contrib.auth.models import AnonymousUser

    work = WorkFactory()
    with pytest.raises(PermissionDenied):
        rate(AnonymousUser(), work, 3)
    with pytest.raises(PermissionDenied):
        rate(UserFactory(is_active=False), work, 3)
    assert not Rating.objects.exists()


def test_a_failing_write_leaves_rating_and_figures_as_they_were(monkeypatch):
    work, member = WorkFactory(), UserFactory()
    rate(member, work, 1)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_change_days", broken)
    with pytest.raises(RuntimeError):
        rate(member, work, 5)
    assert Rating.objects.get(member=member, work=work).tears == 1
    assert figures(work) == (1, 1, [0, 1, 0, 0, 0, 0])


def test_day_buckets_follow_the_rating_date():
    work, member = WorkFactory(), UserFactory()
    with time_machine.travel("2025-03-01 12:00 +09:00", tick=False):
        rate(member, work, 4)
    with time_machine.travel("2025-03-10 12:00 +09:00", tick=False):
        rate(member, work, 2)
    buckets = {b.day.isoformat(): (b.n, b.total) for b in WorkDay.objects.all()}
    assert buckets == {"2025-03-01": (0, 0), "2025-03-10": (1, 2)}
    services.rating_withdraw(member=member, work=work)
    assert WorkDay.objects.get(day="2025-03-10").n == 0


def test_a_new_day_bucket_drops_the_work_s_buckets_older_than_the_rising_window(settings):
    settings.KCRY_RISING_DAYS = 30
    work, other_work = WorkFactory(), WorkFactory()
    with time_machine.travel("2025-03-01 12:00 +09:00", tick=False):
        rate(UserFactory(), work, 4)
        rate(UserFactory(), other_work, 4)
    with time_machine.travel("2025-03-30 12:00 +09:00", tick=False):
        rate(UserFactory(), work, 2)  # day 30 of the window: 1 March is still in it
    assert WorkDay.objects.filter(stats_id=work.pk).count() == 2
    with time_machine.travel("2025-04-05 12:00 +09:00", tick=False):
        rate(UserFactory(), work, 3)
    days = sorted(b.day.isoformat() for b in WorkDay.objects.filter(stats_id=work.pk))
    assert days == ["2025-03-30", "2025-04-05"]
    # Only the rated work's buckets go; the figures themselves keep every rating.
    assert WorkDay.objects.filter(stats_id=other_work.pk).count() == 1
    assert figures(work) == (3, 9, [0, 0, 1, 1, 1, 0])


def test_deleting_a_member_removes_their_ratings_from_every_figure():
    member, other = UserFactory(), UserFactory()
    first, second = WorkFactory(), WorkFactory()
    rate(member, first, 5)
    rate(member, second, 0)
    rate(other, first, 3)
    editorial_list = EditorialListFactory()
    services.reaction_set(member=member, editorial_list=editorial_list, reaction="sobbing")
    member_delete(member=member)
    assert figures(first) == (1, 3, [0, 0, 0, 1, 0, 0])
    assert figures(second) == (0, 0, [0, 0, 0, 0, 0, 0])
    assert ListReactionCounts.objects.get(pk=editorial_list.pk).sobbing == 0
    assert not Rating.objects.filter(member_id=member.pk).exists()
    assert recompute_all(fix=False) == []


def test_an_account_deleted_any_other_way_keeps_every_figure_exact():
    # e.g. from a shell or a data-protection script: User.delete(), not member_delete.
    member, other = UserFactory(), UserFactory()
    work, editorial_list = WorkFactory(), EditorialListFactory()
    rate(member, work, 5)
    rate(other, work, 2)
    services.reaction_set(member=member, editorial_list=editorial_list, reaction="moved")
    member.delete()
    assert figures(work) == (1, 2, [0, 0, 1, 0, 0, 0])
    assert ListReactionCounts.objects.get(pk=editorial_list.pk).moved == 0
    assert recompute_all(fix=False) == []


def test_reactions_one_per_member_with_stored_counts():
    editorial_list = EditorialListFactory()
    member = UserFactory()
    services.reaction_set(member=member, editorial_list=editorial_list, reaction="moved")
    services.reaction_set(member=UserFactory(), editorial_list=editorial_list, reaction="moved")
    services.reaction_set(member=member, editorial_list=editorial_list, reaction="sobbing")
    counts = ListReactionCounts.objects.get(pk=editorial_list.pk)
    assert (counts.moved, counts.sobbing) == (1, 1)
    assert ListReaction.objects.filter(member=member).count() == 1
    assert services.reaction_set(member=member, editorial_list=editorial_list, reaction="") is None
    counts.refresh_from_db()
    assert (counts.moved, counts.sobbing) == (1, 0)


def test_the_same_reaction_again_takes_it_back():
    editorial_list = EditorialListFactory()
    member = UserFactory()
    services.reaction_set(member=member, editorial_list=editorial_list, reaction="moved")
    services.reaction_set(member=UserFactory(), editorial_list=editorial_list, reaction="moved")
    again = services.reaction_set(member=member, editorial_list=editorial_list, reaction="moved")
    assert again is None
    assert not ListReaction.objects.filter(member=member).exists()
    assert ListReactionCounts.objects.get(pk=editorial_list.pk).moved == 1
    # and a third click gives it again
    services.reaction_set(member=member, editorial_list=editorial_list, reaction="moved")
    assert ListReactionCounts.objects.get(pk=editorial_list.pk).moved == 2


@pytest.mark.parametrize("reaction", ["angry", "SOBBING", "x" * 100])
def test_unknown_reactions_are_refused(reaction):
    editorial_list = EditorialListFactory()
    with pytest.raises(ValidationError):
        services.reaction_set(
            member=UserFactory(), editorial_list=editorial_list, reaction=reaction
        )
    assert not ListReaction.objects.exists()


def test_recompute_command_reports_and_fixes_drift(capsys):
    work = WorkFactory(slug="drifting")
    rate(UserFactory(), work, 2)
    RatingFactory(work=work, tears=5, created=timezone.now())  # written behind the figures' back
    with pytest.raises(SystemExit):
        call_command("recompute_rating_stats", "--check")
    assert "drifting: n 1→2, total 2→7, c5 0→1" in capsys.readouterr().out
    assert figures(work) == (1, 2, [0, 0, 1, 0, 0, 0])  # --check changed nothing
    call_command("recompute_rating_stats")
    assert figures(work) == (2, 7, [0, 0, 1, 0, 0, 1])
    call_command("recompute_rating_stats")
    assert "No drift" in capsys.readouterr().out.splitlines()[-1]


def test_admin_deletes_ratings_through_the_service(admin_client):
    work = WorkFactory()
    banned = UserFactory()
    rating = rate(banned, work, 4)
    rate(UserFactory(), work, 2)
    banned.is_active = False
    banned.save()
    response = admin_client.post(
        "/admin/votes/rating/",
        {"action": "delete_selected", "_selected_action": [rating.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert figures(work) == (1, 2, [0, 0, 1, 0, 0, 0])


def test_staff_delete_a_member_with_ratings_and_reactions_from_the_user_admin(admin_client):
    work, editorial_list = WorkFactory(), EditorialListFactory()
    leaving, staying = UserFactory(), UserFactory()
    rate(leaving, work, 5)
    rate(staying, work, 1)
    services.reaction_set(member=leaving, editorial_list=editorial_list, reaction="sobbing")

    confirm = admin_client.get(f"/admin/accounts/user/{leaving.pk}/delete/")
    assert confirm.status_code == 200
    assert "Are you sure" in confirm.content.decode()
    response = admin_client.post(f"/admin/accounts/user/{leaving.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Rating.objects.filter(member_id=leaving.pk).exists()
    assert figures(work) == (1, 1, [0, 1, 0, 0, 0, 0])
    assert ListReactionCounts.objects.get(pk=editorial_list.pk).sobbing == 0


def test_admin_deletes_list_reactions_through_the_service(admin_client):
    editorial_list, banned = EditorialListFactory(), UserFactory()
    answer = services.reaction_set(member=banned, editorial_list=editorial_list, reaction="moved")
    banned.is_active = False
    banned.save()
    services.reaction_set(member=UserFactory(), editorial_list=editorial_list, reaction="moved")
    response = admin_client.post(
        "/admin/votes/listreaction/",
        {"action": "delete_selected", "_selected_action": [answer.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert ListReactionCounts.objects.get(pk=editorial_list.pk).moved == 1
    assert ListReaction.objects.count() == 1

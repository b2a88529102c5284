"""End-to-end flows of members: signing up, rating in tissues, the tear diary, comments,
replies, flags, and staff hiding a flagged comment. Every form also works without
JavaScript; with it, the rating changes in place."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import EditorialListFactory, UserFactory, WorkFactory
from votes.models import ListReaction, Rating

from .test_catalog_flows import JS_ON_AND_OFF, admin_log_in

PASSWORD = "tissues-please-42"


def log_in(page, live_server, username, next_path):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))
    expect(page.locator(".account-nav")).to_contain_text(username)


@JS_ON_AND_OFF
def test_a_visitor_picks_a_rating_logs_in_and_it_is_saved(
    live_server, transactional_db, new_page, js
):
    work = WorkFactory(title="Haru Haru", slug="haru-haru", kind="mv")
    UserFactory(username="mina")
    page = new_page(js=js)
    page.goto(live_server.url + work.get_absolute_url())
    panel = page.locator("#tear-rating")
    panel.locator("button[name=tears]", has_text="Crying").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("Username").fill("mina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/works/haru-haru/"))
    expect(page.get_by_text("Your rating was saved: Haru Haru, 4 – Crying.")).to_be_visible()
    expect(panel.locator("legend")).to_have_text("Your rating: 4 – Crying")
    assert Rating.objects.get(member__username="mina", work=work).tears == 4


def mark_page(page, js):
    """Tag the loaded document, to tell later whether the page was reloaded."""
    if js:
        page.evaluate("window.kcryMark = 'still here'")


def same_page(page):
    return page.evaluate("window.kcryMark") == "still here"


@JS_ON_AND_OFF
def test_newcomer_signs_up_rates_changes_the_rating_and_sees_the_diary(
    live_server, transactional_db, new_page, js
):
    work = WorkFactory(title="Haru Haru", slug="haru-haru", kind="mv")
    page = new_page(js=js)
    page.goto(live_server.url + work.get_absolute_url())
    panel = page.locator("#tear-rating")
    expect(panel).to_contain_text("No ratings yet.")

    # Sign up from the rating panel and come straight back to the work.
    panel.get_by_role("link", name="sign up").click()
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("E-mail address").fill("newcomer@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-sad-ballad-77")
    page.get_by_label("Password confirmation").fill("a-long-sad-ballad-77")
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(re.compile(r"/works/haru-haru/"))
    expect(page.locator(".account-nav")).to_contain_text("newcomer")

    # Rate with one click: three tissues, saved at once.
    mark_page(page, js)
    choice = panel.locator("button[name=tears]")
    choice.filter(has_text="Teary").click()
    expect(panel.locator("legend")).to_have_text("Your rating: 3 – Teary")
    expect(panel.locator(".tear-histogram tr", has_text="3 · Teary")).to_contain_text("1 (100%)")
    expect(panel.locator(".tear-score")).to_contain_text("3.00")
    expect(panel.locator(".tear-score")).to_contain_text("1 rating")
    expect(choice.filter(has_text="Teary")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("You rated Haru Haru: 3 – Teary.")).to_be_visible()
    assert same_page(page) == js  # JavaScript: no reload; without: the form posted and came back
    assert Rating.objects.get(member__username="newcomer", work=work).tears == 3

    # Change it with the keyboard alone: tab to four tissues, Enter.
    choice.filter(has_text="Teary").focus()
    page.keyboard.press("Tab")
    expect(choice.filter(has_text="Crying")).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel.locator("legend")).to_have_text("Your rating: 4 – Crying")
    expect(panel.locator(".tear-histogram tr", has_text="4 · Crying")).to_contain_text("1 (100%)")
    expect(panel.locator(".tear-histogram tr", has_text="3 · Teary")).to_contain_text("0 (0%)")
    assert same_page(page) == js
    assert Rating.objects.get(member__username="newcomer", work=work).tears == 4

    # Undo puts the three tissues back.
    panel.get_by_role("button", name="Undo").click()
    expect(panel.locator("legend")).to_have_text("Your rating: 3 – Teary")
    expect(panel.locator(".tear-histogram tr", has_text="4 · Crying")).to_contain_text("0 (0%)")
    assert same_page(page) == js
    assert Rating.objects.get(member__username="newcomer", work=work).tears == 3
    # Undo also works after a change from the restored value.
    choice.filter(has_text="Sobbing").click()
    expect(panel.locator("legend")).to_have_text("Your rating: 5 – Sobbing")
    panel.get_by_role("button", name="Undo").click()
    expect(panel.locator("legend")).to_have_text("Your rating: 3 – Teary")
    choice.filter(has_text="Crying").click()
    expect(panel.locator("legend")).to_have_text("Your rating: 4 – Crying")

    # The tear diary, from the name in the header.
    page.locator(".account-nav").get_by_role("link", name="newcomer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("newcomer’s tear diary")
    diary = page.locator("ol.diary")
    expect(diary.locator("li")).to_have_count(1)
    expect(diary).to_contain_text("Haru Haru")
    expect(diary).to_contain_text("4 – Crying")


@JS_ON_AND_OFF
def test_members_comment_with_a_spoiler_reply_and_flag_and_staff_hide_it(
    live_server, transactional_db, new_page, js
):
    work = WorkFactory(title="Haru Haru", slug="haru-haru", kind="mv")
    UserFactory(username="mina")
    UserFactory(username="jun")
    staff = get_user_model().objects.create_superuser("editor", "editor@example.com", PASSWORD)
    path = work.get_absolute_url()

    # Mina posts a spoiler with a tear moment.
    mina = new_page(js=js)
    log_in(mina, live_server, "mina", path)
    thread = mina.locator("#comments")
    thread.get_by_label("Your comment").fill("The umbrella scene at the end broke me.")
    thread.get_by_label(re.compile("Contains spoilers")).check()
    thread.get_by_label(re.compile("Tear moment")).fill("3:07")
    thread.get_by_role("button", name="Post comment").click()
    comment = mina.locator("article.comment", has_text="umbrella scene")
    expect(comment).to_be_visible()
    spoiler = comment.locator("details.spoiler")
    expect(spoiler).not_to_have_attribute("open", "")
    expect(comment.get_by_text("broke me")).to_be_hidden()  # folded by default
    spoiler.locator("summary").click()
    expect(comment.get_by_text("broke me")).to_be_visible()
    expect(comment.locator(".tear-moment")).to_contain_text("3:07")
    stored = Comment.objects.get(author__username="mina")
    assert (stored.is_spoiler, stored.moment_seconds) == (True, 187)

    # Jun replies to it, then flags it.
    jun = new_page(js=js)
    log_in(jun, live_server, "jun", path)
    original = jun.locator(f"#c-{stored.pk}")
    original.get_by_role("link", name="Reply").click()
    if js:  # the reply form opens under the comment (comments/thread.js)
        form = jun.get_by_role("form", name="Reply to mina")
    else:
        expect(jun.get_by_role("heading", level=1)).to_have_text("Reply to mina")
        form = jun.locator("form.comment-form")
    form.get_by_label("Your comment").fill("Same. I had to pause the video.")
    form.get_by_role("button", name="Post comment").click()
    expect(jun).to_have_url(re.compile(re.escape(path)))
    reply = jun.locator(f"#c-{stored.pk} + .comment-replies article.comment")
    expect(reply).to_contain_text("I had to pause the video.")
    expect(reply.locator(".comment-author")).to_have_text("jun")

    original.get_by_role("link", name="Flag").click()
    # The comment is already folded as a spoiler: that reason is not offered.
    expect(jun.get_by_label("Spoiler not marked")).to_have_count(0)
    jun.get_by_label("Off topic").check()
    jun.get_by_role("button", name="Send to the moderators").click()
    expect(jun.get_by_text("the moderators will take a look")).to_be_visible()
    assert stored.flags.count() == 1

    # Staff hide the flagged comment from the moderation queue.
    desk = new_page()
    admin_log_in(desk, live_server, staff)
    desk.goto(live_server.url + "/admin/comments/comment/?moderation=flagged")
    row = desk.locator("#result_list tbody tr", has_text="umbrella scene")
    expect(desk.locator("#result_list tbody tr")).to_have_count(1)
    row.locator("input.action-select").check()
    desk.locator("select[name=action]").select_option("hide")
    desk.get_by_role("button", name="Go").click()
    expect(desk.locator(".messagelist")).to_contain_text("Hid 1 comment")

    # The public page no longer shows its text; it stays as a placeholder, and the reply
    # that hangs under it stays readable.
    visitor = new_page(js=js)
    visitor.goto(live_server.url + path)
    expect(visitor.locator("#comments")).not_to_contain_text("umbrella scene")
    expect(visitor.locator("#comments")).to_contain_text("hidden by the moderators")
    expect(visitor.locator("#comments")).to_contain_text("pause the video")


@JS_ON_AND_OFF
def test_a_member_reacts_to_a_list_and_takes_it_back(live_server, transactional_db, new_page, js):
    EditorialListFactory(slug="feel", title="Sad songs")
    UserFactory(username="mina")
    page = new_page(js=js)
    log_in(page, live_server, "mina", "/lists/feel/")
    mark_page(page, js)
    section = page.locator("#reactions")
    moved = section.locator("button[name=reaction][value=moved]")
    moved.click()
    expect(moved).to_have_attribute("aria-pressed", "true")
    expect(moved.locator(".reaction-count")).to_have_text("1")
    expect(section).to_contain_text("1 reaction")
    moved.click()  # the same reaction again takes it back
    expect(moved).to_have_attribute("aria-pressed", "false")
    expect(moved.locator(".reaction-count")).to_have_text("0")
    expect(section).to_contain_text("0 reactions")
    assert same_page(page) == js
    assert not ListReaction.objects.exists()

"""Reply, Edit and Flag under the comment itself (comments/static/comments/thread.js).

With JavaScript each link opens the form of its own page under the comment and posts
it in the background; without, the links open those pages, as before. An empty
comment is refused before anything is sent; a failed post keeps the typed text.
"""

import re

from playwright.sync_api import expect

from comments.models import Comment, Flag
from comments.services import comment_post
from tests.factories import UserFactory, WorkFactory

from .test_member_flows import log_in, mark_page, same_page

PATH = "/works/haru-haru/"


def thread_with_a_comment():
    work = WorkFactory(title="Haru Haru", slug="haru-haru", kind="mv")
    mina = UserFactory(username="mina")
    UserFactory(username="jun")
    comment, _ = comment_post(author=mina, target=work, body="The last scene broke me.")
    return comment


def inline_form(page, comment):
    return page.locator(f"#c-{comment.pk} .comment-inline form")


def test_reply_in_place(live_server, transactional_db, new_page):
    comment = thread_with_a_comment()
    page = new_page(js=True)
    log_in(page, live_server, "jun", PATH)
    mark_page(page, True)
    article = page.locator(f"#c-{comment.pk}")
    article.get_by_role("link", name="Reply").click()

    form = page.get_by_role("form", name="Reply to mina")
    expect(form).to_be_visible()
    expect(inline_form(page, comment)).to_have_count(1)  # under that very comment
    expect(article.get_by_role("link", name="Reply")).to_have_attribute("aria-expanded", "true")
    assert same_page(page)  # no page was opened
    field = form.get_by_label("Your comment")
    expect(field).to_be_focused()
    # The form's ids do not clash with the thread's own comment form.
    assert page.evaluate("document.querySelectorAll('#comment-body').length") == 1
    # Reply again closes it.
    article.get_by_role("link", name="Reply").click()
    expect(form).to_have_count(0)
    article.get_by_role("link", name="Reply").click()

    form.get_by_label("Your comment").fill("Same. I had to pause the video.")
    form.get_by_role("button", name="Post comment").click()
    reply = page.locator(f"#c-{comment.pk} + .comment-replies article.comment")
    expect(reply).to_contain_text("I had to pause the video.")
    expect(reply.locator(".comment-author")).to_have_text("jun")
    stored = Comment.objects.get(author__username="jun")
    assert stored.parent_id == comment.pk
    expect(page).to_have_url(re.compile(re.escape(PATH) + rf"\?cpage=1#c-{stored.pk}$"))
    expect(page.locator(f"#c-{stored.pk}")).to_be_in_viewport()


def test_edit_in_place(live_server, transactional_db, new_page):
    comment = thread_with_a_comment()
    page = new_page(js=True)
    log_in(page, live_server, "mina", PATH)
    mark_page(page, True)
    page.locator(f"#c-{comment.pk}").get_by_role("link", name="Edit").click()
    form = page.get_by_role("form", name="Edit your comment")
    field = form.get_by_label("Your comment")
    expect(field).to_have_value("The last scene broke me.")
    assert same_page(page)
    # Cancel closes the form and leaves the comment as it was.
    form.get_by_role("link", name="Cancel").click()
    expect(form).to_have_count(0)
    assert same_page(page)

    page.locator(f"#c-{comment.pk}").get_by_role("link", name="Edit").click()
    field.fill("The last scene broke me, twice.")
    form.get_by_label(re.compile("Contains spoilers")).check()
    form.get_by_role("button", name="Save changes").click()
    article = page.locator(f"#c-{comment.pk}")
    expect(article.locator("details.spoiler")).to_be_visible()
    article.locator("summary").click()
    expect(article.locator(".comment-body")).to_have_text("The last scene broke me, twice.")
    expect(article.locator(".comment-edited")).to_be_visible()
    comment.refresh_from_db()
    assert (comment.body, comment.is_spoiler) == ("The last scene broke me, twice.", True)


def test_flag_in_place(live_server, transactional_db, new_page):
    comment = thread_with_a_comment()
    page = new_page(js=True)
    log_in(page, live_server, "jun", PATH)
    mark_page(page, True)
    article = page.locator(f"#c-{comment.pk}")
    article.get_by_role("link", name="Flag").click()
    form = page.get_by_role("form", name="Flag this comment for the moderators")
    expect(form).to_be_visible()

    # "Something else" needs details: the server's message shows in the form.
    form.get_by_label("Something else", exact=True).check()
    form.get_by_role("button", name="Send to the moderators").click()
    expect(form.locator("[data-inline-status]")).to_have_class(re.compile("message-error"))
    expect(form.locator("ul.errorlist")).to_be_visible()
    assert not Flag.objects.exists()

    form.get_by_label("Off topic").check()
    form.get_by_role("button", name="Send to the moderators").click()
    expect(article.get_by_role("status")).to_have_text(
        "Thank you: the moderators will take a look."
    )
    expect(form).to_have_count(0)
    assert same_page(page)
    assert Flag.objects.get().reason == "off_topic"


def test_empty_comment_is_caught_before_posting(live_server, transactional_db, new_page):
    comment = thread_with_a_comment()
    page = new_page(js=True)
    log_in(page, live_server, "jun", PATH)
    mark_page(page, True)
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))

    page.locator(f"#c-{comment.pk}").get_by_role("link", name="Reply").click()
    form = page.get_by_role("form", name="Reply to mina")
    form.get_by_label("Your comment").fill("   \n  ")
    form.get_by_role("button", name="Post comment").click()
    expect(form.get_by_role("alert")).to_have_text("Write something first: the comment is empty.")
    expect(form.get_by_label("Your comment")).to_be_focused()
    expect(form.get_by_label("Your comment")).to_have_attribute("aria-invalid", "true")

    # The thread's own comment form too.
    own = page.locator("#comments > form.comment-form")
    own.get_by_role("button", name="Post comment").click()
    expect(own.get_by_role("alert")).to_have_text("Write something first: the comment is empty.")
    assert posts == []
    assert same_page(page)
    assert Comment.objects.count() == 1


def test_empty_comment_without_javascript_is_refused_by_the_server(
    live_server, transactional_db, new_page
):
    comment = thread_with_a_comment()
    page = new_page(js=False)
    log_in(page, live_server, "jun", PATH)
    page.locator(f"#c-{comment.pk}").get_by_role("link", name="Reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to mina")
    page.get_by_label("Your comment").fill("   ")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your comment was not posted")
    expect(page.locator("form.comment-form")).to_contain_text(
        "Write something first: the comment is empty."
    )
    assert Comment.objects.count() == 1


def test_a_failed_post_keeps_the_typed_text(live_server, transactional_db, new_page):
    comment = thread_with_a_comment()
    page = new_page(js=True)
    log_in(page, live_server, "jun", PATH)
    page.locator(f"#c-{comment.pk}").get_by_role("link", name="Reply").click()
    form = page.get_by_role("form", name="Reply to mina")
    field = form.get_by_label("Your comment")
    text = "Same. I had to pause the video."
    field.fill(text)

    # The network fails.
    page.route("**/works/haru-haru/comments/", lambda route: route.abort())
    form.get_by_role("button", name="Post comment").click()
    expect(form.get_by_role("alert")).to_have_text(
        "Network trouble: nothing was sent. Please try again. Your text is still here."
    )
    expect(field).to_have_value(text)
    expect(form.get_by_role("button", name="Post comment")).to_be_enabled()
    page.unroute("**/works/haru-haru/comments/")

    # Too fast: the server's 429 message.
    page.route(
        "**/works/haru-haru/comments/",
        lambda route: route.fulfill(
            status=429,
            content_type="application/json",
            json={"error": "You are posting too fast.", "errors": {"__all__": ["x"]}},
        ),
    )
    form.get_by_role("button", name="Post comment").click()
    expect(form.get_by_role("alert")).to_have_text(
        "You are posting too fast. Your text is still here."
    )
    expect(field).to_have_value(text)
    page.unroute("**/works/haru-haru/comments/")

    # A stale form: the CSRF token no longer matches (a real 403 from the server).
    form.locator("input[name=csrfmiddlewaretoken]").evaluate("input => input.value = 'stale'")
    form.get_by_role("button", name="Post comment").click()
    expect(form.get_by_role("alert")).to_contain_text("This form has expired")
    expect(form.get_by_role("alert")).to_contain_text("Your text is still here.")
    expect(field).to_have_value(text)
    assert Comment.objects.count() == 1


def test_without_javascript_the_links_open_their_pages(live_server, transactional_db, new_page):
    comment = thread_with_a_comment()
    page = new_page(js=False)
    log_in(page, live_server, "jun", PATH)

    page.locator(f"#c-{comment.pk}").get_by_role("link", name="Reply").click()
    expect(page).to_have_url(re.compile(rf"/comments/{comment.pk}/reply/$"))
    page.get_by_label("Your comment").fill("Same here.")
    page.get_by_role("button", name="Post comment").click()
    reply = Comment.objects.get(author__username="jun")
    expect(page.locator(f"#c-{reply.pk}")).to_contain_text("Same here.")

    page.locator(f"#c-{comment.pk}").get_by_role("link", name="Flag").click()
    expect(page).to_have_url(re.compile(rf"/comments/{comment.pk}/flag/"))
    page.get_by_label("Off topic").check()
    page.get_by_role("button", name="Send to the moderators").click()
    expect(page.locator(".messages")).to_contain_text("the moderators will take a look")
    assert Flag.objects.count() == 1

    page.locator(f"#c-{reply.pk}").get_by_role("link", name="Edit").click()
    expect(page).to_have_url(re.compile(rf"/comments/{reply.pk}/edit/$"))
    page.get_by_label("Your comment", exact=True).fill("Same here, really.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".messages")).to_contain_text("Your comment is updated.")
    expect(page.locator(f"#c-{reply.pk}")).to_contain_text("Same here, really.")

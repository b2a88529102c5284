"""The social loop: a reply reaches the inbox of the comment's author, who follows it
back to the thread, and the unread badge clears."""

import re

from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import CommentFactory, UserFactory, WorkFactory

from .test_catalog_flows import JS_ON_AND_OFF
from .test_member_flows import log_in

PATH = "/works/haru-haru/"


@JS_ON_AND_OFF
def test_a_reply_reaches_the_inbox_and_leads_back_to_the_thread(
    live_server, transactional_db, new_page, js
):
    work = WorkFactory(title="Haru Haru", slug="haru-haru", kind="mv")
    UserFactory(username="mina")
    bora = UserFactory(username="bora")
    # Enough comments that the reply is far down the page, out of the first view.
    for number in range(12):
        CommentFactory(author=bora, work=work, body=f"Still crying, day {number}.")
    first = Comment.objects.filter(author=bora).order_by("pk").first()
    last = Comment.objects.filter(author=bora).order_by("pk").last()

    # Bora has nothing unread.
    bora_page = new_page(js=js)
    log_in(bora_page, live_server, "bora", PATH)
    inbox_link = bora_page.locator(".account-nav .inbox-link")
    expect(inbox_link).to_have_text("Inbox")

    # Mina replies to Bora's last comment.
    mina_page = new_page(js=js)
    log_in(mina_page, live_server, "mina", PATH)
    mina_page.locator(f"#c-{last.pk}").get_by_role("link", name="Reply").click()
    if js:
        form = mina_page.get_by_role("form", name="Reply to bora")
    else:
        form = mina_page.locator("form.comment-form")
    form.get_by_label("Your comment").fill("Day 11 for me too.")
    form.get_by_role("button", name="Post comment").click()
    posted = mina_page.locator(f"#c-{last.pk} + .comment-replies article.comment")
    expect(posted).to_contain_text("Day 11 for me too.")
    reply = Comment.objects.get(author__username="mina")
    expect(posted).to_have_attribute("id", f"c-{reply.pk}")

    # Bora sees the badge on the next page, opens the inbox and follows the reply.
    bora_page.goto(live_server.url + first.target.get_absolute_url())
    expect(inbox_link).to_have_text("Inbox (1)")
    inbox_link.click()
    expect(bora_page.get_by_role("heading", level=1)).to_have_text("Inbox")
    note = bora_page.locator("li.notification.unread")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("mina replied to your comment on Haru Haru:")
    expect(note).to_contain_text("Day 11 for me too.")
    note.get_by_role("button", name="Open").click()

    anchor = f"#c-{reply.pk}"
    expect(bora_page).to_have_url(re.compile(re.escape(PATH) + r"\?cpage=\d+" + anchor + "$"))
    landed = bora_page.locator(anchor)
    expect(landed).to_contain_text("Day 11 for me too.")
    expect(landed).to_be_in_viewport()
    # It hangs under Bora's comment.
    expect(bora_page.locator(f"#c-{last.pk} + .comment-replies {anchor}")).to_have_count(1)
    expect(inbox_link).to_have_text("Inbox")
    bora.refresh_from_db()
    assert bora.unread_notifications == 0

    # In the inbox it is read now: a plain link, no longer marked unread.
    inbox_link.click()
    expect(bora_page.locator("li.notification.unread")).to_have_count(0)
    expect(bora_page.locator("li.notification").get_by_role("link", name="Open")).to_have_attribute(
        "href", f"/comments/{reply.pk}/"
    )

"""On a phone (375 px) words stay whole where the layout asks for it: the list page's
editors-and-community table ("honourable mention" and "Community" broke mid-word under the
body's overflow-wrap: anywhere) and the header's account links ("min a", "Fee d"). The
browser measures each word: a word split across two lines has line boxes at two heights."""

import pytest

from tests.factories import UserFactory

from .conftest import PHONE
from .pages import session_cookie

# The words under `selector` that the browser laid out on more than one line.
SPLIT_WORDS = """(selector) => {
  const split = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((box) => Math.round(box.top)));
        if (tops.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def split_words(page, selector):
    assert page.locator(selector).count() > 0, selector
    return page.evaluate(SPLIT_WORDS, selector)


def test_the_countdown_table_keeps_its_words_whole_on_a_phone(
    live_server, founding_lists, new_page
):
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/lists/top-10-saddest-kpop-mvs/")
    assert split_words(page, ".rank-compare th, .rank-compare td") == []
    # The table scrolls inside its own box; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("username", ["mina", "seoyeon_kim"])
@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_header_keeps_account_links_whole_on_a_phone(
    live_server, transactional_db, new_page, username, language
):
    UserFactory(username=username, unread_notifications=12)
    page = new_page(viewport=PHONE)
    page.context.add_cookies(
        [
            session_cookie(live_server, username),
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )
    page.goto(f"{live_server.url}/")
    assert username in page.locator(".account-nav").inner_text()
    assert split_words(page, ".account-nav") == []

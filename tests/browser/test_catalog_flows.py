"""End-to-end flows through the catalog: a visitor browsing, staff curating in admin."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from catalog.models import Work
from tests.factories import EditorialListFactory, ListEntryFactory, PersonFactory, WorkFactory

JS_ON_AND_OFF = pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])


@JS_ON_AND_OFF
def test_visitor_browses_a_list_opens_a_work_and_searches_in_hangul(
    live_server, founding_lists, new_page, js
):
    page = new_page(js=js)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("made you cry")

    # Home → a countdown list, ranks shown from #10 down to #1.
    page.get_by_role("link", name="Top 10 Saddest K-Pop Music Videos").click()
    expect(page).to_have_url(re.compile(r"/lists/top-10-saddest-kpop-mvs/$"))
    ranks = page.locator("ol.entries > li .rank").all_inner_texts()
    assert ranks == [f"#{n}" for n in range(10, 0, -1)], ranks

    # → a work with content notes, folded until the visitor opens them.
    page.locator("ol.entries").get_by_role("link", name="Haru Haru", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Haru Haru")
    notes = page.locator("details.content-notes")
    expect(notes).not_to_have_attribute("open", "")
    expect(notes.get_by_text("Terminal illness")).to_be_hidden()
    notes.locator("summary").focus()  # opened from the keyboard
    page.keyboard.press("Enter")
    expect(notes.get_by_text("Terminal illness")).to_be_visible()
    expect(page.get_by_role("link", name="Top 10 Saddest K-Pop Music Videos")).to_be_visible()

    # → the artist's page, which lists the work.
    page.locator("dl.facts").get_by_role("link", name="BIGBANG").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("BIGBANG")
    expect(page.get_by_role("link", name="Haru Haru")).to_be_visible()

    # Search from the header in Hangul: a fragment of a Korean title finds the song.
    search = page.get_by_role("searchbox", name="Search works and people")
    search.fill("눈 닮은")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    results = page.locator("#work-results + ul")
    expect(results.get_by_role("link", name="Eyes Like Snow")).to_be_visible()
    results.get_by_role("link", name="Eyes Like Snow").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("눈 닮은 눈")

    # A Korean artist name finds the artist.
    page.goto(live_server.url + "/search/?q=" + "크러쉬")
    expect(page.locator("#people-results + ul").get_by_role("link", name="Crush")).to_be_visible()


@JS_ON_AND_OFF
def test_visitor_filters_the_works_index_by_kind(live_server, founding_lists, new_page, js):
    page = new_page(js=js)
    page.goto(live_server.url + "/works/")
    page.get_by_label("Kind").select_option(label="Film")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"kind=film"))
    kinds = page.locator(".work-card .kind").all_inner_texts()
    films = Work.objects.published().of_kind("film").count()
    assert kinds == ["Film"] * films, kinds
    expect(page.get_by_role("link", name="Train to Busan")).to_be_visible()


@pytest.fixture
def staff(transactional_db):
    return get_user_model().objects.create_superuser(
        "editor", "editor@example.com", "tissues-please-42"
    )


def admin_log_in(page, live_server, user):
    page.goto(live_server.url + "/admin/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("tissues-please-42")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def pick_autocomplete(page, select_id, text):
    """Choose an option in an admin autocomplete (select2) widget by typing."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    # Wait for the answer to the typed query, not the list shown on opening.
    options = page.locator(".select2-container--open .select2-results__option")
    expect(options).to_have_count(1)
    expect(options).to_contain_text(text)
    options.click()
    expect(page.locator(f"#{select_id} option:checked")).to_contain_text(text)


def test_staff_curate_a_work_and_a_list_and_the_public_pages_follow(
    live_server, staff, new_page, tmp_path
):
    from PIL import Image

    PersonFactory(name="Han Seo-yeon", name_ko="한서연", slug="han-seo-yeon")
    editorial_list = EditorialListFactory(title="Saddest films of the decade", slug="decade")
    first, second = WorkFactory(title="First Goodbye"), WorkFactory(title="Second Goodbye")
    ListEntryFactory(editorial_list=editorial_list, position=1, order=1, works=[first])
    ListEntryFactory(editorial_list=editorial_list, position=2, order=2, works=[second])
    poster = tmp_path / "poster.png"
    Image.new("RGB", (600, 900), (40, 80, 160)).save(poster)

    page = new_page()
    admin_log_in(page, live_server, staff)

    # A new film with a poster and a director credit.
    page.goto(live_server.url + "/admin/catalog/work/add/")
    page.locator("#id_kind").select_option("film")
    page.locator("#id_title").fill("Tears of the Winter Sea")
    page.locator("#id_title_ko").fill("겨울 바다의 눈물")
    expect(page.locator("#id_slug")).to_have_value("tears-of-the-winter-sea")  # prepopulated
    page.locator("#id_year").fill("2019")
    page.locator("#id_blurb").fill("A lighthouse keeper writes letters that are never sent.")
    page.locator("#id_poster").set_input_files(poster)
    pick_autocomplete(page, "id_credits-0-person", "Han Seo-yeon")
    page.locator("#id_credits-0-role").select_option("director")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    work_page = new_page(js=False)
    work_page.goto(live_server.url + "/works/tears-of-the-winter-sea/")
    expect(work_page.get_by_role("heading", level=1)).to_contain_text("겨울 바다의 눈물")
    credits = work_page.locator("dl.facts")
    expect(credits.get_by_text("Director")).to_be_visible()
    expect(credits.get_by_role("link", name="Han Seo-yeon")).to_be_visible()
    poster_img = work_page.get_by_role("img", name="Poster of Tears of the Winter Sea")
    expect(poster_img).to_have_attribute("src", re.compile(r"/media/posters/thumbs/"))
    response = work_page.request.get(live_server.url + poster_img.get_attribute("src"))
    assert response.ok, f"poster thumbnail: HTTP {response.status}"
    assert response.headers["content-type"].startswith("image/")

    # Add it to the list, below the two existing entries.
    page.goto(live_server.url + f"/admin/catalog/editoriallist/{editorial_list.pk}/change/")
    page.locator("#entries-group .add-row a").click()
    pick_autocomplete(page, "id_entries-2-works", "Tears of the Winter Sea")
    page.locator("#id_entries-2-position").fill("3")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    list_page = new_page(js=False)
    list_page.goto(live_server.url + "/lists/decade/")
    titles = list_page.locator("ol.entries .work-title a")
    expect(titles).to_have_text(["First Goodbye", "Second Goodbye", "Tears of the Winter Sea"])

    # Reorder: drag the new entry by its handle to the top of the list, then save.
    rows = page.locator("#entries-group tbody tr.has_original")
    expect(rows).to_have_count(3)
    handles = rows.locator("td.original p")
    handles.nth(2).drag_to(handles.nth(0))
    expect(rows.nth(0)).to_contain_text("#3")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    list_page.reload()
    expect(titles).to_have_text(["Tears of the Winter Sea", "First Goodbye", "Second Goodbye"])
    # The ranks follow the drag: the moved entry is #1 now, the others move down one.
    expect(list_page.locator("ol.entries > li .rank")).to_have_text(["#1", "#2", "#3"])
    expect(rows.nth(0)).to_contain_text("#1")
    expect(rows.nth(2)).to_contain_text("#3")
    # The admin page fits a 1,280 px window: no sideways scrolling of the whole page.
    page.set_viewport_size({"width": 1280, "height": 800})
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 1280, f"admin list page is {page_width}px wide"
    # The search finds the new work in Hangul, too.
    list_page.goto(live_server.url + "/search/?q=겨울 바다")
    expect(list_page.get_by_role("link", name="Tears of the Winter Sea")).to_be_visible()

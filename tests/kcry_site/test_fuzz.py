"""Bad input is a 4xx with a message, never a 500: known cases, then Hypothesis.

Numbers come in many shapes that str.isdigit() or int() take and others refuse:
superscripts ("²"), other scripts' digits ("٣"), and numbers longer than the 4,300
digits int() converts.
"""

import html
import re

import pytest

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000  # int() refuses more than 4,300 digits
LONG = "9" * 4000  # int() takes it; no page or year has that many


def error_message(response):
    if response["Content-Type"].startswith("application/json"):
        return response.json()["error"]
    found = re.search(r'<p class="error-message">(.*?)</p>', response.content.decode(), re.S)
    return html.unescape(found.group(1))


NUMBERS = ["²", "²⁰⁰⁸", HUGE, LONG]
FILTERS = {
    "/works/": ["page", "decade"],
    "/api/works/": ["page", "decade"],
    "/rankings/": ["page", "decade", "year", "min_ratings"],
    "/api/rankings/": ["page", "decade", "year", "min_ratings"],
}


@pytest.mark.parametrize(
    "path,params",
    [
        (path, {name: number})
        for path, names in FILTERS.items()
        for name in names
        for number in NUMBERS
        # A 4,000-digit page is a number, just not a page there is (404).
        if number != LONG or name == "page"
    ],
    ids=lambda value: (
        value
        if isinstance(value, str)
        else "&".join(f"{key}={number[:6]}" for key, number in value.items())
    ),
)
def test_unusual_numbers_in_filters_and_pages_are_client_errors(client, path, params):
    response = client.get(path, params)
    assert response.status_code in (400, 404)
    message = error_message(response)
    # A clear message naming the parameter, and not the 5,000 digits echoed back.
    assert next(iter(params)) in message or "There is no page" in message, message
    assert len(message) < 200, message

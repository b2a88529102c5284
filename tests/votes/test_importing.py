import csv
import io

import pytest
from django.utils import translation

from tests.factories import (
    CreditFactory,
    PersonFactory,
    UserFactory,
    WorkFactory,
    rate,
    work_with_artist,
)
from tests.images import image_upload
from votes import exporting, services
from votes.importing import ImportFileError, apply_import, plan_import
from votes.models import Rating, WorkStats

pytestmark = pytest.mark.django_db


def csv_bytes(rows, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def figures():
    return sorted(WorkStats.objects.values_list("pk", "n", "total", "c0", "c1", "c5"))


def reasons(plan):
    return {problem.row: problem.reason for problem in plan.problems}


def test_title_matches_ignoring_case_spacing_and_accents():
    work = WorkFactory(title="Café Goodbye, Part 2")
    plan = plan_import(csv_bytes([["title", "tears"], ["cafe GOODBYE part2", "4"]]))
    assert plan.ok
    assert [(p.row, p.work, p.tears) for p in plan.ratings] == [(2, work, 4)]


def test_korean_title_matches_either_title_column():
    work = WorkFactory(title="It's Okay to Break Up Then", title_ko="그때 헤어지면 돼")
    plan = plan_import(
        csv_bytes(
            [
                ["title", "title_ko", "tears"],
                ["그때 헤어지면돼", "", "5"],
                ["", "그때헤어지면 돼", "5"],
            ]
        )
    )
    assert plan.ok
    assert [p.work for p in plan.ratings] == [work]  # the same rating twice counts once


def test_artist_and_year_narrow_works_sharing_a_title():
    iu = PersonFactory(name="IU", name_ko="아이유")
    other = PersonFactory(name="Ballad Band")
    by_iu = WorkFactory(title="Goodbye", year=2015)
    CreditFactory(work=by_iu, person=iu)
    by_band_old = WorkFactory(title="Goodbye", year=2003)
    CreditFactory(work=by_band_old, person=other)
    by_band_new = WorkFactory(title="Goodbye", year=2019)
    CreditFactory(work=by_band_new, person=other)
    plan = plan_import(
        csv_bytes(
            [
                ["title", "artist", "year", "tears"],
                ["Goodbye", "아이유", "", "5"],
                ["Goodbye", "ballad band", "2003", "2"],
                ["goodbye", "", "2019", "3"],
            ]
        )
    )
    assert plan.ok
    assert [(p.work, p.tears) for p in plan.ratings] == [
        (by_iu, 5),
        (by_band_old, 2),
        (by_band_new, 3),
    ]


def test_unknown_and_ambiguous_rows_are_reported_with_row_numbers_and_reasons():
    first, second = WorkFactory(title="Rain", year=2010), WorkFactory(title="Rain", year=2012)
    CreditFactory(work=first, person=PersonFactory(name="Kim"))
    WorkFactory(title="Hidden Tears", is_published=False)
    plan = plan_import(
        csv_bytes(
            [
                ["title", "artist", "year", "tears"],
                ["Rain", "", "", "3"],
                ["No Such Song", "", "", "3"],
                ["Rain", "Park", "", "3"],
                ["Rain", "", "1999", "3"],
                ["Hidden Tears", "", "", "3"],
                ["Rain", "", "20x0", "3"],
                ["", "", "", "3"],
            ]
        )
    )
    problems = reasons(plan)
    assert not plan.ok
    assert "ambiguous: 2 works match" in problems[2] and second.slug in problems[2]
    assert problems[3] == "no work with this title on kcry"
    assert problems[4] == "no work with this title credits “Park”"
    assert problems[5] == "no work with this title from 1999"
    assert problems[6] == "no work with this title on kcry"  # unpublished works stay hidden
    assert problems[7].startswith("year:")
    assert problems[8] == "title: missing"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("6", "tears: 6 is out of range (0 to 5)"),
        ("-1", "tears: -1 is out of range (0 to 5)"),
        ("3.5", "tears: “3.5” is not a whole number from 0 to 5"),
        ("lots", "tears: “lots” is not a whole number from 0 to 5"),
        ("", "tears: missing (a whole number of tissues from 0 to 5)"),
    ],
)
def test_out_of_range_or_malformed_tears_are_rejected(raw, reason):
    WorkFactory(title="Sad")
    plan = plan_import(csv_bytes([["title", "tears"], ["Sad", raw]]))
    assert reasons(plan) == {2: reason}
    assert plan.ratings == []


def test_conflicting_ratings_of_one_work_are_reported():
    WorkFactory(title="Twice")
    plan = plan_import(csv_bytes([["title", "tears"], ["Twice", "2"], ["twice", "4"]]))
    assert reasons(plan) == {3: "rates Twice again (row 2 gives 2)"}


def test_an_export_imports_as_is_and_changes_nothing():
    member = UserFactory()
    works = [
        WorkFactory(title="First", title_ko="첫 번째"),
        WorkFactory(title="=cmd|' /C calc'!A0", year=None),
        WorkFactory(title="Same Title", year=2001),
        WorkFactory(title="Same Title", year=2001),  # only the slug tells these apart
    ]
    for tears, work in enumerate(works):
        rate(member, work, tears + 1)
    response = exporting.csv_response(
        "x.csv", exporting.RATING_FIELDS, exporting.rating_rows(member)
    )
    before = figures()
    plan = plan_import(response.content)
    assert plan.ok
    assert sorted((p.work.pk, p.tears) for p in plan.ratings) == [
        (work.pk, tears + 1) for tears, work in enumerate(works)
    ]
    result = apply_import(member=member, plan=plan)
    assert (result.added, result.changed, result.unchanged) == (0, 0, 4)
    assert figures() == before


def test_a_formula_guarded_title_still_matches_without_the_slug():
    work = WorkFactory(title="=Tears")
    exported = exporting.csv_safe(work.title)
    assert exported == "'=Tears"
    plan = plan_import(csv_bytes([["title", "tears"], [exported, "3"]]))
    assert [p.work for p in plan.ratings] == [work]


def test_semicolon_separated_files_are_read_too():
    work = WorkFactory(title="Semi")
    plan = plan_import(csv_bytes([["Title", "Tears"], ["Semi", "1"]], delimiter=";"))
    assert [(p.work, p.tears) for p in plan.ratings] == [(work, 1)]


def test_applying_stores_every_rating_with_exact_figures():
    member = UserFactory()
    kept, changed, new = (
        WorkFactory(title="Kept"),
        WorkFactory(title="Changed"),
        work_with_artist(title="New"),
    )
    rate(member, kept, 3)
    rate(member, changed, 1)
    rate(UserFactory(), new, 5)
    plan = plan_import(
        csv_bytes([["title", "tears"], ["Kept", "3"], ["Changed", "5"], ["New", "0"]])
    )
    result = apply_import(member=member, plan=plan)
    assert (result.added, result.changed, result.unchanged) == (1, 1, 1)
    mine = dict(Rating.objects.filter(member=member).values_list("work__title", "tears"))
    assert mine == {"Kept": 3, "Changed": 5, "New": 0}
    stats = WorkStats.objects.get(pk=changed.pk)
    assert (stats.n, stats.total, stats.counts) == (1, 5, [0, 0, 0, 0, 0, 1])
    stats = WorkStats.objects.get(pk=new.pk)
    assert (stats.n, stats.total, stats.counts) == (2, 5, [1, 0, 0, 0, 0, 1])


def test_a_failure_while_storing_rolls_back_every_rating(monkeypatch):
    member = UserFactory()
    works = [WorkFactory(title=f"Work {n}") for n in range(3)]
    rate(member, works[0], 1)
    before = figures()
    plan = plan_import(csv_bytes([["title", "tears"]] + [[w.title, "5"] for w in works]))
    calls = []

    def failing_last_step(changes):
        # Ratings and figures are written by now: the failure must take them back.
        calls.append(changes)
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_change_days_many", failing_last_step)
    with pytest.raises(RuntimeError):
        apply_import(member=member, plan=plan)
    assert len(calls) == 1
    assert figures() == before
    assert list(Rating.objects.filter(member=member).values_list("work", "tears")) == [
        (works[0].pk, 1)
    ]


def test_a_plan_with_problems_cannot_be_applied():
    WorkFactory(title="Fine")
    plan = plan_import(csv_bytes([["title", "tears"], ["Fine", "2"], ["Fine?", "9"]]))
    with pytest.raises(ValueError):
        apply_import(member=UserFactory(), plan=plan)
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        ("title,tears\n그때,3\n".encode("cp949"), "not UTF-8"),
        (image_upload().read(), "not a CSV file"),
        (b"name,score\nSad,3\n", "missing: title, tears"),
        (b"title,tears\n\n,\n", "no ratings"),
        (b'title,tears\n"unclosed,3\n', "not valid CSV"),
    ],
)
def test_unreadable_files_are_refused_whole(data, message):
    with pytest.raises(ImportFileError) as error:
        plan_import(data)
    assert message in str(error.value)


def test_size_and_row_limits(settings):
    WorkFactory(title="Sad")
    settings.KCRY_IMPORT_MAX_ROWS = 3
    plan_import(csv_bytes([["title", "tears"]] + [["Sad", "1"]] * 3))
    with pytest.raises(ImportFileError, match="more than 3 ratings"):
        plan_import(csv_bytes([["title", "tears"]] + [["Sad", "1"]] * 4))
    settings.KCRY_IMPORT_MAX_BYTES = 100
    with pytest.raises(ImportFileError, match="at most 100 bytes"):
        plan_import(csv_bytes([["title", "tears"]] + [["A rather long title", "1"]] * 6))


def test_matching_needs_a_bounded_number_of_queries(django_assert_max_num_queries):
    artist = PersonFactory(name="Crowd")
    rows = [["title", "artist", "tears"]]
    for n in range(250):
        work = WorkFactory(title=f"Song number {n}")
        CreditFactory(work=work, person=artist)
        rows.append([work.title, "Crowd", str(n % 6)])
    # 250 titles: three title queries with their credits and people, nothing per row.
    with django_assert_max_num_queries(8):
        plan = plan_import(csv_bytes(rows))
    assert plan.ok and len(plan.ratings) == 250


def test_problems_are_worded_in_the_active_language():
    first = WorkFactory(title="Rain", year=2010, slug="rain-2010")
    WorkFactory(title="Rain", year=2012, slug="rain-2012")
    CreditFactory(work=first, person=PersonFactory(name="Kim"))
    WorkFactory(title="Twice")
    rows = [
        ["title", "artist", "year", "tears"],
        ["Rain", "", "", "3"],
        ["No Such Song", "", "", "3"],
        ["Rain", "Park", "", "3"],
        ["Rain", "Kim", "1999", "3"],
        ["Rain", "", "1999", "3"],
        ["Rain", "", "20x0", "3"],
        ["", "", "", "3"],
        ["Twice", "", "", "2"],
        ["Twice", "", "", "4"],
        ["Twice", "", "", "6"],
        ["Twice", "", "", "lots"],
        ["Twice", "", "", ""],
    ]
    with translation.override("ko"):
        problems = reasons(plan_import(csv_bytes(rows)))
    assert problems == {
        2: "작품을 하나로 정할 수 없어요: 2개 작품이 일치해요 "
        "(Rain (2010, rain-2010), Rain (2012, rain-2012)). 아티스트나 연도를 적어 주세요",
        3: "kcry에 이 제목의 작품이 없어요",
        4: "이 제목의 작품 중 “Park”이(가) 참여한 작품이 없어요",
        5: "이 제목의 작품 중 그 아티스트가 참여한 1999년 작품이 없어요",
        6: "이 제목의 1999년 작품이 없어요",
        7: "year: “20x0”은(는) 연도가 아니에요",
        8: "title: 값이 없어요",
        10: "Twice을(를) 다시 평가하고 있어요 (9행에서는 휴지 2개)",
        11: "tears: 6은(는) 범위를 벗어났어요 (0에서 5)",
        12: "tears: “lots”은(는) 0에서 5 사이의 정수가 아니에요",
        13: "tears: 값이 없어요 (휴지 0개에서 5개 사이의 정수)",
    }


def test_more_than_three_matches_are_summed_up_in_the_active_language():
    for year in (None, 2001, 2002, 2003, 2004):
        WorkFactory(title="Echo", year=year)
    with translation.override("ko"):
        reason = reasons(plan_import(csv_bytes([["title", "tears"], ["Echo", "1"]])))[2]
    assert "(연도 없음, " in reason and " 외 2개)" in reason
    reason = reasons(plan_import(csv_bytes([["title", "tears"], ["Echo", "1"]])))[2]
    assert "(no year, " in reason and " and 2 more)" in reason


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "파일이 비어 있어요."),
        ("title,tears\n그때,3\n".encode("cp949"), "파일이 UTF-8 텍스트가 아니에요"),
        (image_upload().read(), "CSV 파일이 아니에요 (바이너리 데이터가 들어 있어요)."),
        (b"name,score\nSad,3\n", "(빠진 열: title, tears)"),
        (b"title,tears\n\n,\n", "파일에 머리글 행만 있고 평가가 없어요."),
        (b'title,tears\n"unclosed,3\n', "올바른 CSV 파일이 아니에요"),
    ],
)
def test_unreadable_files_are_refused_in_the_active_language(data, message):
    with translation.override("ko"), pytest.raises(ImportFileError) as error:
        plan_import(data)
    assert message in str(error.value)


def test_size_and_row_limits_in_the_active_language(settings):
    settings.KCRY_IMPORT_MAX_ROWS = 1
    with translation.override("ko"), pytest.raises(ImportFileError, match="평가가 1개보다 많아요"):
        plan_import(csv_bytes([["title", "tears"], ["Sad", "1"], ["Sad", "2"]]))
    settings.KCRY_IMPORT_MAX_BYTES = 10
    with translation.override("ko"), pytest.raises(ImportFileError, match="최대 10바이트예요"):
        plan_import(csv_bytes([["title", "tears"], ["Sad", "1"]]))


@pytest.mark.parametrize("year", ["²⁰⁰⁸", "٢٠٠٨", "1" * 5000, "2008.0", "-2008"])
def test_a_year_in_unusual_digits_is_a_problem_of_its_row(year):
    WorkFactory(title="Rain", year=2008)
    plan = plan_import(csv_bytes([["title", "year", "tears"], ["Rain", year, "4"]]))
    assert not plan.ok
    assert reasons(plan)[2].startswith("year: ")


@pytest.mark.parametrize("tears", ["²", "٣", "4" * 5000, "3.0"])
def test_tears_in_unusual_digits_are_a_problem_of_their_row(tears):
    WorkFactory(title="Rain")
    plan = plan_import(csv_bytes([["title", "tears"], ["Rain", tears]]))
    assert not plan.ok
    assert reasons(plan)[2].startswith("tears: ")

import hashlib
from pathlib import Path

from django.core.management import call_command

from catalog.models import Credit, EditorialList, ListEntry, Person, Work


def entries(slug):
    return ListEntry.objects.filter(editorial_list__slug=slug)


def test_every_source_list_is_loaded_with_its_entries(founding_lists):
    assert EditorialList.objects.count() == 5
    counts = {
        editorial_list.slug: editorial_list.entries.count()
        for editorial_list in EditorialList.objects.all()
    }
    assert counts == {
        "tissues-and-tears-mvs": 14,  # 7 numbered + 7 further recommendations
        "top-10-saddest-kpop-mvs": 15,  # 10 ranks (one holding two videos) + 5 mentions
        "tearjerker-songs-71-90": 7,
        "tearjerker-ballads": 7,
        "korean-movies-in-tears": 10,
    }


def test_countdown_keeps_ranks_ten_to_one_and_five_honourable_mentions(founding_lists):
    countdown = EditorialList.objects.get(slug="top-10-saddest-kpop-mvs")
    assert countdown.is_countdown
    ranked = [e.position for e in countdown.entries.all() if e.is_ranked]
    assert ranked == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    mentions = countdown.entries.filter(is_honourable_mention=True)
    assert mentions.count() == 5
    assert all(entry.position is None for entry in mentions)
    assert set(mentions.values_list("works__title", flat=True)) == {
        "In Heaven",
        "Cleansing Cream",
        "Heaven",
        "Yesterday Is Different from Today",
        "It Hurts (Sick)",
    }


def test_rank_eight_holds_both_linked_videos(founding_lists):
    entry = entries("top-10-saddest-kpop-mvs").get(position=8)
    titles = sorted(entry.works.values_list("title", flat=True))
    assert titles == ["Hello", "I Told You I Wanna Die"]
    assert {w.credits.get(role="artist").person.name for w in entry.works.all()} == {"Huh Gak"}


def test_works_named_by_two_lists_exist_once(founding_lists):
    for title in ["Don't Say Goodbye", "In Heaven", "Haru Haru", "The Day Before"]:
        work = Work.objects.get(title__iexact=title)
        list_slugs = set(work.list_entries.values_list("editorial_list__slug", flat=True))
        assert list_slugs == {"tissues-and-tears-mvs", "top-10-saddest-kpop-mvs"}, title


def test_people_spelled_differently_exist_once(founding_lists):
    assert Person.objects.filter(search_name__startswith="nell|").count() == 1
    son_ye_jin = Person.objects.get(search_name__startswith="sonyejin|")
    films = set(son_ye_jin.works.values_list("title", flat=True))
    assert films == {"A Moment to Remember", "Be With You"}
    crush = Person.objects.get(search_name__startswith="crush|")
    assert crush.works.count() == 2  # featured on LOVEDRUNK, artist of SOFA


def test_two_singers_called_jin_stay_two_people(founding_lists):
    gone = Work.objects.get(title="Gone")
    abyss = Work.objects.get(title="Abyss")
    assert gone.credits.get(role="artist").person != abyss.credits.get(role="artist").person


def test_more_recommendations_include_artist_mentions_and_a_collaboration(founding_lists):
    also = entries("tissues-and-tears-mvs").filter(is_also_recommended=True)
    assert also.count() == 7
    assert {p.name for e in also for p in e.people.all()} == {"Huh Gak", "SG Wannabe"}
    painkiller = Work.objects.get(title="Painkiller")
    assert painkiller.credits.filter(role=Credit.Role.ARTIST).count() == 4


def test_drama_in_the_movie_list_keeps_missing_facts_empty(founding_lists):
    good_doctor = Work.objects.get(slug="good-doctor")
    assert good_doctor.kind == Work.Kind.DRAMA
    assert good_doctor.release_date is None and good_doctor.year is None
    assert not good_doctor.credits.filter(role=Credit.Role.DIRECTOR).exists()
    film = Work.objects.get(title="Miracle in Cell No. 7")
    assert film.release_date.isoformat() == "2013-01-24"
    assert film.credits.get(role="director").person.name == "Lee Hwan-kyung"


def test_song_list_keeps_hangul_titles_and_ost_sources(founding_lists):
    only_then = Work.objects.get(title_ko="그때 헤어지면 돼")
    assert only_then.kind == Work.Kind.SONG
    assert list(entries("tearjerker-songs-71-90").values_list("position", flat=True)) == [
        71,
        72,
        73,
        81,
        82,
        83,
        84,
    ]
    assert "Touch Your Heart" in Work.objects.get(title="Good Night").ost_of


def test_reloading_changes_nothing_and_keeps_staff_edits(founding_lists):
    work = Work.objects.get(slug="haru-haru")
    work.blurb = "Edited by staff."
    work.save()
    entry = entries("top-10-saddest-kpop-mvs").get(position=1)
    entry.note = "Staff note"
    entry.save()
    before = [model.objects.count() for model in (Work, Person, EditorialList, ListEntry, Credit)]

    call_command("load_seeds", stdout=open("/dev/null", "w"))

    after = [model.objects.count() for model in (Work, Person, EditorialList, ListEntry, Credit)]
    assert after == before
    assert Work.objects.get(slug="haru-haru").blurb == "Edited by staff."
    assert ListEntry.objects.get(pk=entry.pk).note == "Staff note"


SOURCE_RUNS = Path(__file__).with_name("source_word_runs.txt")


def eight_word_runs(text):
    words = text.lower().split()
    for start in range(len(words) - 7):
        run = " ".join(words[start : start + 8])
        yield run, hashlib.sha256(run.encode()).hexdigest()[:16]


def test_blurbs_are_written_anew_not_copied_from_the_sources(founding_lists):
    """No run of eight words from a blurb or intro appears in the source lists (compared
    through the hashes in source_word_runs.txt, made once from the source lists, which
    stay outside the repository)."""
    source_hashes = {
        line for line in SOURCE_RUNS.read_text().splitlines() if not line.startswith("#")
    }
    assert len(source_hashes) > 1000
    texts = list(Work.objects.values_list("blurb", flat=True))
    texts += list(EditorialList.objects.values_list("intro", flat=True))
    assert all(texts)
    for text in texts:
        for run, digest in eight_word_runs(text):
            assert digest not in source_hashes, f"copied from the sources: {run!r}"

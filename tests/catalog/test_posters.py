from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalog.models import Work
from catalog.posters import make_thumbnail, validate_poster
from tests.factories import WorkFactory
from tests.images import fake_upload, image_upload, noisy_png, png_claiming_size


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_real_images_in_allowed_formats_pass(image_format):
    validate_poster(image_upload(image_format=image_format))


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(ValidationError, match="not a readable JPEG, PNG or WebP"):
        validate_poster(fake_upload())


def test_a_truncated_image_is_refused():
    real = image_upload().read()
    with pytest.raises(ValidationError, match="not a readable"):
        validate_poster(fake_upload(content=real[: len(real) // 2]))


def test_other_real_image_formats_are_refused():
    with pytest.raises(ValidationError, match="this one is GIF"):
        validate_poster(image_upload(name="poster.gif", image_format="GIF"))


def test_oversized_file_is_refused(settings):
    settings.KCRY_POSTER_MAX_BYTES = 1000
    upload = noisy_png()
    assert upload.size > 1000
    with pytest.raises(ValidationError, match="the limit is"):
        validate_poster(upload)


def test_too_many_pixels_is_refused(settings):
    settings.KCRY_POSTER_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError, match="301×450 pixels"):
        validate_poster(image_upload(size=(301, 450)))


def test_decompression_bomb_is_refused_before_decoding():
    # Beyond twice Pillow's own limit Image.open itself refuses; below it our budget does.
    with pytest.raises(ValidationError, match="possible decompression bomb"):
        validate_poster(png_claiming_size(40_000, 40_000))
    with pytest.raises(ValidationError, match="6000×6000 pixels"):
        validate_poster(png_claiming_size(6_000, 6_000))


@pytest.mark.django_db
def test_thumbnail_is_made_small_and_stored_in_media(settings):
    work = WorkFactory(poster=image_upload(size=(900, 1350)))
    make_thumbnail(work)
    work.save()
    assert work.poster_thumb.name.startswith("posters/thumbs/")
    with Image.open(work.poster_thumb.path) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (240, 360)
    assert str(settings.MEDIA_ROOT) in work.poster_thumb.path


# --- what is stored: re-encoded, named by its format, old files removed ---------------------


def staff_client(client):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_superuser("editor", "e@example.com", "pw-12345-x")
    client.force_login(editor)
    return client


def work_form(poster, **overrides):
    data = {
        "kind": "film",
        "title": "Winter Sea",
        "slug": "winter-sea",
        "is_published": "on",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "1000",
        "poster": poster,
    }
    return data | overrides


def upload_through_admin(client, poster, work=None):
    if work is None:
        url = reverse("admin:catalog_work_add")
    else:
        url = reverse("admin:catalog_work_change", args=[work.pk])
    response = client.post(url, work_form(poster))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Work.objects.get(slug="winter-sea")


def with_exif(orientation, size=(300, 200)):
    """A JPEG whose EXIF says "rotate" and carries a camera make and GPS block (and a
    comment with markup)."""
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (37.0, 33.0, 0.0)}  # GPSInfo: latitude
    buffer = BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(
        buffer, format="JPEG", exif=exif, comment=b"<script>alert(1)</script>"
    )
    return SimpleUploadedFile("phone.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_a_png_with_html_appended_is_stored_as_a_clean_png(client):
    png = image_upload().read()
    upload = SimpleUploadedFile("poster.png", png + b"<script>alert(1)</script>")
    work = upload_through_admin(staff_client(client), upload)
    stored = Path(work.poster.path).read_bytes()
    assert stored.startswith(b"\x89PNG") and b"<script>" not in stored
    with Image.open(work.poster.path) as image:
        assert (image.format, image.size) == ("PNG", (300, 450))


@pytest.mark.django_db
def test_a_png_named_pdf_is_stored_and_served_as_png(client):
    work = upload_through_admin(staff_client(client), image_upload(name="poster.pdf"))
    assert work.poster.name.endswith(".png")
    response = client.get(work.poster.url)
    assert response["Content-Type"] == "image/png"


@pytest.mark.django_db
@pytest.mark.parametrize("image_format,suffix", [("JPEG", ".jpg"), ("WEBP", ".webp")])
def test_stored_posters_are_named_by_their_format(client, image_format, suffix):
    upload = image_upload(name="poster.png", image_format=image_format)
    work = upload_through_admin(staff_client(client), upload)
    assert work.poster.name.endswith(suffix)
    with Image.open(work.poster.path) as image:
        assert image.format == image_format


@pytest.mark.django_db
def test_exif_is_stripped_after_its_orientation_is_applied(client):
    work = upload_through_admin(staff_client(client), with_exif(orientation=6))
    with Image.open(work.poster.path) as image:
        assert image.size == (200, 300)  # turned upright: a portrait poster
        assert not image.getexif()
    stored = Path(work.poster.path).read_bytes()
    assert b"SecretCam" not in stored and b"<script>" not in stored


def test_a_tiny_image_is_refused(settings):
    settings.KCRY_POSTER_MIN_SIZE = (100, 150)
    with pytest.raises(ValidationError, match="at least 100×150"):
        validate_poster(image_upload(size=(20, 20)))
    validate_poster(image_upload(size=(100, 150)))


def test_the_minimum_size_counts_the_exif_orientation(settings):
    settings.KCRY_POSTER_MIN_SIZE = (100, 150)
    # 150 wide and 100 high as stored, but upright it is 100×150: accepted.
    validate_poster(with_exif(orientation=6, size=(150, 100)))


@pytest.mark.django_db
def test_a_replaced_poster_and_its_thumbnail_leave_media(
    client, django_capture_on_commit_callbacks
):
    client = staff_client(client)
    with django_capture_on_commit_callbacks(execute=True):
        first = upload_through_admin(client, image_upload(name="first.png"))
    old_files = [Path(first.poster.path), Path(first.poster_thumb.path)]
    assert all(path.exists() for path in old_files)
    with django_capture_on_commit_callbacks(execute=True):
        second = upload_through_admin(client, image_upload(name="second.png"), work=first)
    assert not any(path.exists() for path in old_files)
    assert Path(second.poster.path).exists() and Path(second.poster_thumb.path).exists()


@pytest.mark.django_db
def test_old_files_stay_until_the_new_poster_is_committed(
    client, django_capture_on_commit_callbacks
):
    client = staff_client(client)
    with django_capture_on_commit_callbacks(execute=True):
        first = upload_through_admin(client, image_upload(name="first.png"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload_through_admin(client, image_upload(name="second.png"), work=first)
    assert callbacks and Path(first.poster.path).exists()

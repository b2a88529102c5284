import pytest
from django.core.exceptions import ValidationError
from PIL import Image

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

"""Images: type checked by decoding, resized, metadata dropped, stored locally."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from ambassade.content.images import ImageError, store


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def picture(size: tuple[int, int], mode: str = "RGB", fmt: str = "JPEG", **save: object) -> bytes:
    output = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128)).save(
        output, fmt, **save
    )
    return output.getvalue()


def test_a_large_photo_is_resized_and_its_exif_dropped() -> None:
    exif = Image.Exif()
    exif[0x8825] = {2: (48, 51, 0)}  # a GPS position
    stored = store(picture((3000, 2000), exif=exif.tobytes()), folder="previews")
    assert (stored.width, stored.height) == (1200, 800)
    assert stored.content_type == "image/jpeg"
    with default_storage.open(stored.name) as handle, Image.open(handle) as saved:
        assert saved.format == "JPEG"
        assert not saved.getexif()


def test_transparency_is_kept_as_png() -> None:
    stored = store(picture((64, 64), mode="RGBA", fmt="PNG"), folder="previews")
    assert stored.content_type == "image/png"
    assert stored.name.endswith(".png")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<html>not an image</html>", "not_an_image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "not_an_image"),
        (picture((10, 10), fmt="TIFF"), "bad_type"),
        (b"x" * 9_000_000, "too_large"),
    ],
)
def test_what_is_not_an_accepted_image_is_refused(data: bytes, code: str) -> None:
    with pytest.raises(ImageError) as refused:
        store(data, folder="previews")
    assert refused.value.code == code

"""Stored images are served by the app in the embedded default, and nothing else is."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def test_a_stored_image_is_served(client, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("content/abc.jpg", ContentFile(b"\xff\xd8\xff"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff"


def test_paths_outside_the_media_folder_are_not_served(client, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "secret_key").write_text("s3cret")
    for path in ["/media/../secret_key", "/media/%2e%2e/secret_key"]:
        response = client.get(path)
        assert response.status_code in {400, 404}  # refused as suspicious, or simply absent
        assert b"s3cret" not in response.content

"""Streaming answers are compressed as they stream, and still complete."""

from __future__ import annotations

import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_the_streamed_audit_export_is_compressed_and_complete(persona, client_for) -> None:
    client = client_for(persona.admin)
    response = client.get("/console/audit/export.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Encoding"] == "gzip"
    text = gzip.decompress(b"".join(response.streaming_content)).decode()
    assert text.startswith("time,actor,action,object_type,object_id,object,before,after")

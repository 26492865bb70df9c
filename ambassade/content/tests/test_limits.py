"""Counting a post the way each network counts it."""

from __future__ import annotations

from ambassade.content.limits import LIMITS, count, counts, graphemes, length


def test_x_counts_every_url_as_23_and_wide_characters_as_2() -> None:
    assert length("Voir https://www.example.com/a/very/long/path?x=1", "x") == 5 + 23
    assert length("漢字", "x") == 4
    assert count("a" * 281, "x").over
    assert not count("a" * 280, "x").over


def test_mastodon_counts_urls_as_23_and_mentions_without_their_server() -> None:
    assert length("@marc@mastodon.social https://example.com/x", "mastodon") == 6 + 23
    assert count("a" * 500, "mastodon").remaining == 0


def test_bluesky_counts_graphemes() -> None:
    assert graphemes("e\u0301té") == 3  # é written with a combining accent
    assert graphemes("🇫🇷🇮🇪") == 2  # two flags
    assert graphemes("👩\u200d💻") == 1  # a ZWJ sequence
    assert graphemes("👍🏽") == 1  # with a skin tone
    assert count("é" * 300, "bluesky").remaining == 0


def test_linkedin_counts_characters_and_any_network_gets_every_count() -> None:
    assert length("https://example.com", "linkedin") == 19
    every = [c.network for c in counts("Bonjour")]
    # Every network the sharing app registered, in the networks' order.
    assert every[:4] == ["linkedin", "x", "bluesky", "mastodon"]
    assert every == list(LIMITS)
    assert [c.network for c in counts("Bonjour", "x")] == ["x"]

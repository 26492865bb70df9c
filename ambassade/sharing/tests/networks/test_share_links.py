"""Share links: every network's address, properly encoded whatever the message holds."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest

from ambassade.sharing.share_links import share_link, share_networks

URL = "https://go.example/t/abc?utm_source=x&ref=1#top"
TEXT = "Café, crème & brûlée #1 🎉 — voilà ! 100% vrai?"
TITLE = "Nouvelle usine à Lyon & co"


def query(link: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}


def test_the_list_of_networks() -> None:
    networks = share_networks()
    codes = [network.code for network in networks]
    assert codes == ["linkedin", "x", "facebook", "whatsapp", "xing", "telegram", "reddit", "email"]
    assert {str(network.name) for network in networks} >= {"LinkedIn", "WhatsApp", "E-mail"}
    for network in networks:
        assert share_link(network.code, URL, TEXT, TITLE)


@pytest.mark.parametrize(
    ("network", "prefix", "expected"),
    [
        ("linkedin", "https://www.linkedin.com/sharing/share-offsite/?", {"url": URL}),
        ("x", "https://x.com/intent/post?", {"text": TEXT, "url": URL}),
        ("facebook", "https://www.facebook.com/sharer/sharer.php?", {"u": URL}),
        ("whatsapp", "https://wa.me/?", {"text": f"{TEXT}\n\n{URL}"}),
        ("xing", "https://www.xing.com/spi/shares/new?", {"url": URL}),
        ("telegram", "https://t.me/share/url?", {"url": URL, "text": TEXT}),
        ("reddit", "https://www.reddit.com/submit?", {"url": URL, "title": TITLE}),
        ("email", "mailto:?", {"subject": TITLE, "body": f"{TEXT}\n\n{URL}"}),
    ],
)
def test_each_network_round_trips(network: str, prefix: str, expected: dict[str, str]) -> None:
    link = share_link(network, URL, TEXT, TITLE)
    assert link.startswith(prefix)
    assert query(link) == expected


@pytest.mark.parametrize("network", [n.code for n in share_networks()])
def test_nothing_raw_in_the_query(network: str) -> None:
    """No raw space, &, #, ? or non-ASCII character can cut or confuse the link."""
    link = share_link(network, URL, TEXT, TITLE)
    _, _, rest = link.partition("?")
    for value in rest.split("&"):
        name, _, encoded = value.partition("=")
        assert name.isalpha()
        assert all(char not in encoded for char in " &#?+=/:")
        assert encoded.isascii()
    assert "#" not in link


def test_spaces_are_percent_encoded_for_mail_clients() -> None:
    link = share_link("email", "https://go.example/a", "deux mots", "le titre")
    assert link == ("mailto:?subject=le%20titre&body=deux%20mots%0A%0Ahttps%3A%2F%2Fgo.example%2Fa")


def test_emoji_and_accents_are_utf8() -> None:
    link = share_link("whatsapp", "https://go.example/a", "é🎉")
    assert link == "https://wa.me/?text=%C3%A9%F0%9F%8E%89%0A%0Ahttps%3A%2F%2Fgo.example%2Fa"
    assert unquote(link.partition("=")[2]) == "é🎉\n\nhttps://go.example/a"


def test_a_link_already_in_the_text_is_not_repeated() -> None:
    text = f"Lisez ceci : {URL}"
    assert query(share_link("whatsapp", URL, text))["text"] == text
    assert query(share_link("x", URL, text)) == {"text": "Lisez ceci :", "url": URL}
    assert query(share_link("email", URL, text))["body"] == text


def test_no_title_and_no_text() -> None:
    assert share_link("email", URL, "") == f"mailto:?body={quote(URL, safe='')}"
    assert query(share_link("reddit", URL, "Mon message"))["title"] == "Mon message"


def test_unknown_network() -> None:
    with pytest.raises(KeyError):
        share_link("myspace", URL, TEXT)

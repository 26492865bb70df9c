"""The guideline checker: accents, case, word boundaries, blocking, disclosure."""

from __future__ import annotations

from ambassade.content.guidelines import Term, TermKind, apply_suggestion, check, fold

CONFIDENTIAL = Term(TermKind.CONFIDENTIAL, "Projet Hélios", reason="Nom de code interne")
BANNED = Term(TermKind.BANNED, "leader mondial", reason="Affirmation non vérifiable")
PREFERRED = Term(TermKind.PREFERRED, "salariés", suggestion="collaborateurs")
SALES = Term(TermKind.BANNED, "vente", reason="test")


def test_a_confidential_code_name_blocks_whatever_its_case_and_accents() -> None:
    for message in ["Bientôt le projet helios !", "PROJET HÉLIOS arrive", "projet-Hélios"]:
        result = check(message, [CONFIDENTIAL])
        assert result.blocked, message
        [finding] = result.blocking
        assert finding.reason == "Nom de code interne"
        assert message[finding.start : finding.end] == finding.matched
        assert fold(finding.matched)[0].replace("-", " ") == "projet helios"


def test_word_boundaries_are_respected() -> None:
    assert not check("Nos ventes progressent", [SALES]).blocked
    assert not check("Un large éventail", [SALES]).blocked
    assert check("La vente de printemps", [SALES]).blocked
    assert check("Vente!", [SALES]).blocked


def test_offsets_point_into_the_original_text_even_after_accents() -> None:
    message = "Été : nous sommes leader mondial du secteur."
    [finding] = check(message, [BANNED]).findings
    assert message[finding.start : finding.end] == "leader mondial"


def test_preferred_terms_are_suggestions_that_do_not_block() -> None:
    message = "Nos salariés sont fiers."
    result = check(message, [PREFERRED])
    assert not result.blocked
    [suggestion] = result.suggestions
    assert apply_suggestion(message, suggestion) == "Nos collaborateurs sont fiers."


def test_a_missing_disclosure_is_added_and_a_present_one_is_not_repeated() -> None:
    added = check("Nous recrutons à Lyon", [], required_disclosure="#salarié")
    assert added.text == "Nous recrutons à Lyon\n\n#salarié"
    assert added.disclosure_added == "#salarié"
    kept = check("Nous recrutons #SALARIE", [], required_disclosure="#salarié")
    assert kept.text == "Nous recrutons #SALARIE"
    assert kept.disclosure_added == ""


def test_english_apostrophes_and_multiword_terms() -> None:
    term = Term(TermKind.BANNED, "world's best", reason="superlative")
    assert check("The world’s   best team", [term]).blocked
    assert not check("The worlds best team", [term]).blocked


def test_several_findings_are_reported_in_reading_order() -> None:
    message = "Projet Hélios : nos salariés, leader mondial."
    kinds = [finding.kind for finding in check(message, [BANNED, PREFERRED, CONFIDENTIAL]).findings]
    assert kinds == [TermKind.CONFIDENTIAL, TermKind.PREFERRED, TermKind.BANNED]

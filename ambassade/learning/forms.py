"""The console's forms for a module, a question and a requirement, and the quiz form.

They only shape the input; the actions validate it (the same rules as the API) and their
errors are put back next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.core.display import name
from ambassade.learning.actions import MAX_CHOICES, network_codes
from ambassade.learning.quiz import QuestionView
from ambassade.programs.models import AmbassadorType


class ModuleForm(forms.Form):
    title_fr = forms.CharField(label=_("Title in French"), max_length=200)
    # lang="en": read aloud in English, and not taken for a page left untranslated.
    title_en = forms.CharField(
        label=_("Title in English"), max_length=200, widget=forms.TextInput(attrs={"lang": "en"})
    )
    lesson_fr = forms.CharField(
        label=_("Lesson in French"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: ## headings, lists, **bold**, *italics*, [links](https://…)."),
    )
    lesson_en = forms.CharField(
        label=_("Lesson in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "lang": "en"}),
    )
    video_url = forms.CharField(
        label=_("Video (address on your organisation's own host)"),
        required=False,
        max_length=2048,
        help_text=_("Shown as a link, never embedded."),
    )
    duration_minutes = forms.IntegerField(label=_("Estimated duration (minutes)"), initial=10)
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), initial=80)
    questions_per_attempt = forms.IntegerField(
        label=_("Questions drawn per attempt"),
        initial=0,
        help_text=_("0: every question of the pool, in a new order each time."),
    )
    refresher_months = forms.IntegerField(
        label=_("Refresher after (months)"),
        required=False,
        help_text=_("Empty: a pass never expires."),
    )
    image_alt = forms.CharField(label=_("Image description"), required=False, max_length=300)


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image (JPEG, PNG, WebP or GIF)"))


class QuestionForm(forms.Form):
    text_fr = forms.CharField(label=_("Question in French"), max_length=500)
    text_en = forms.CharField(
        label=_("Question in English"), max_length=500, widget=forms.TextInput(attrs={"lang": "en"})
    )
    multiple = forms.BooleanField(label=_("Several answers may be right"), required=False)
    choices = forms.CharField(required=False, widget=forms.HiddenInput)  # errors land here

    ROWS = 5

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(self.ROWS):
            number = index + 1
            self.fields[f"choice_{index}_fr"] = forms.CharField(
                label=_("Answer %(n)d in French") % {"n": number}, required=False, max_length=300
            )
            self.fields[f"choice_{index}_en"] = forms.CharField(
                label=_("Answer %(n)d in English") % {"n": number},
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"lang": "en"}),
            )
            self.fields[f"choice_{index}_correct"] = forms.BooleanField(
                label=_("Answer %(n)d is right") % {"n": number}, required=False
            )
            self.fields[f"choice_{index}_feedback_fr"] = forms.CharField(
                label=_("Feedback on answer %(n)d, in French") % {"n": number},
                required=False,
                max_length=500,
            )
            self.fields[f"choice_{index}_feedback_en"] = forms.CharField(
                label=_("Feedback on answer %(n)d, in English") % {"n": number},
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"lang": "en"}),
            )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        choices = []
        for index in range(min(self.ROWS, MAX_CHOICES)):
            text_fr, text_en = (
                data.get(f"choice_{index}_fr", ""),
                data.get(f"choice_{index}_en", ""),
            )
            if not (text_fr or text_en):
                continue  # an empty row is not an answer
            choices.append(
                {
                    "text_fr": text_fr,
                    "text_en": text_en,
                    "correct": bool(data.get(f"choice_{index}_correct")),
                    "feedback_fr": data.get(f"choice_{index}_feedback_fr", ""),
                    "feedback_en": data.get(f"choice_{index}_feedback_en", ""),
                }
            )
        return {
            "text_fr": data["text_fr"],
            "text_en": data["text_en"],
            "multiple": bool(data.get("multiple")),
            "choices": choices,
        }

    @staticmethod
    def initial_of(question: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "text_fr": question.text_fr,
            "text_en": question.text_en,
            "multiple": question.multiple,
        }
        for index, choice in enumerate(question.choices.all()[: QuestionForm.ROWS]):
            initial[f"choice_{index}_fr"] = choice.text_fr
            initial[f"choice_{index}_en"] = choice.text_en
            initial[f"choice_{index}_correct"] = choice.correct
            initial[f"choice_{index}_feedback_fr"] = choice.feedback_fr
            initial[f"choice_{index}_feedback_en"] = choice.feedback_en
        return initial


class RequirementForm(forms.Form):
    ambassador_type = forms.ChoiceField(label=_("Ambassador type"), required=False)
    network = forms.ChoiceField(label=_("Before"), required=False)
    required = forms.ChoiceField(
        label=_("The module is"),
        choices=[("yes", _("required")), ("no", _("suggested"))],
        widget=forms.RadioSelect,
        initial="yes",
    )

    def __init__(self, *args: Any, types: list[AmbassadorType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["ambassador_type"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [("", _("Every ambassador type"))] + [
            (kind.kind, kind.label) for kind in types
        ]
        network_field = self.fields["network"]
        assert isinstance(network_field, forms.ChoiceField)
        labelled = [
            (
                code,
                str(
                    _("connecting and sharing on %(network)s") % {"network": name("network", code)}
                ),
            )
            for code in network_codes()
        ]
        network_field.choices = [("", _("any share")), *sorted(labelled, key=lambda pair: pair[1])]

    def values(self) -> dict[str, Any]:
        return {
            "ambassador_type": self.cleaned_data["ambassador_type"],
            "network": self.cleaned_data["network"],
            "required": self.cleaned_data["required"] == "yes",
        }


def answers_from(post: Any, questions: list[QuestionView]) -> dict[str, list[int]]:
    """The quiz form's ticks as the action's answers: question id -> chosen answer ids."""
    answers: dict[str, list[int]] = {}
    for question in questions:
        chosen = [int(v) for v in post.getlist(f"q{question.id}") if v.isdigit() and len(v) < 19]
        if chosen:
            answers[str(question.id)] = chosen
    return answers

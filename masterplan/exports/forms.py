"""The export panel's form on the plan page."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from masterplan.exports.models import ExportKind, ExportPart


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Format"), choices=ExportKind.choices)
    part = forms.ChoiceField(label=_("Book"), choices=ExportPart.choices, initial=ExportPart.ALL)
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )

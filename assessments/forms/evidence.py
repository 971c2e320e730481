"""Evidence forms: a file (its size and real type are checked by the service) or a link."""

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

LINK_MAX_LENGTH = 1000
DESCRIPTION_MAX_LENGTH = 300


class EvidenceFileForm(forms.Form):
    """An evidence file; its size and real type are checked by the service."""

    # Empty files pass here so the service refuses them with the file's name in the message.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        error_messages={"required": _("Choose a file to upload.")},
    )
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH, required=False
    )


class EvidenceLinkForm(forms.Form):
    """A link to evidence published elsewhere: http or https only."""

    url = forms.CharField(
        label=_("Web address"),
        max_length=LINK_MAX_LENGTH,
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message=_(
                    "Enter a full web address that starts with http:// or https://, "
                    "e.g. https://jdih.example.go.id/perda-1-2025."
                ),
            )
        ],
        error_messages={
            "required": _("Enter the web address of the evidence."),
            "max_length": _("Keep the web address under %(limit_value)d characters."),
        },
    )
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH, required=False
    )

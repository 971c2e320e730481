"""The form that takes a filled-in workbook back, within the upload size limit."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.excel.layout import CONTENT_TYPE


def max_upload_bytes() -> int:
    """The largest workbook accepted, the same limit as for evidence files."""
    return settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024


class WorkbookUploadForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Filled-in workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{CONTENT_TYPE}"}),
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(max)s can be uploaded.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(max_upload_bytes())}
            )
        return upload

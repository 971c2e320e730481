"""Forms of the assessment pages, one module per area: they parse and validate; services write.

`filling` (an answer), `evidence` (a file or a link), `review` (verify, return, approve),
`cycles` (opening a cycle), `excel` (a workbook upload). The rules they check are the ones the
services and the Excel upload apply (`assessments.rules`), so every caller is refused alike.
"""

from assessments.forms.cycles import CycleOpenForm, ExtensionForm, RegionSelection
from assessments.forms.evidence import EvidenceFileForm, EvidenceLinkForm
from assessments.forms.excel import WorkbookUploadForm, max_upload_bytes
from assessments.forms.filling import ANSWER_FIELDS, AnswerForm
from assessments.forms.review import ApproveForm, ReturnForm, VerifyForm

__all__ = [
    "ANSWER_FIELDS",
    "AnswerForm",
    "ApproveForm",
    "CycleOpenForm",
    "ExtensionForm",
    "EvidenceFileForm",
    "EvidenceLinkForm",
    "RegionSelection",
    "ReturnForm",
    "VerifyForm",
    "WorkbookUploadForm",
    "max_upload_bytes",
]

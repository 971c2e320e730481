"""Views of the assessment workflow, one module per area; each exposes its `urlpatterns`.

- filling: the official's pages (list, overview, element page with autosave, evidence, submit,
  history)
- discussion: the comment thread of an indicator (officials and facilitators)
- evidence: serving evidence files through the scope check
- excel: offline download and upload
- review: the facilitator's queue, review page, verify, return, approve
- cycles: administrators open cycles
"""

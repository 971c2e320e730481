"""Views of the masterplan app, one module per area; each exposes its `urlpatterns`.

- plans: the plan list, the plan page (groups, totals, charts), its text sections, its life
  cycle (review, final, new version) and regeneration with its preview
- items: one action item's page (edit, comments, history), adding and deleting items
- drafting: drafting a plan as a tracked job, and the job's page

Every page looks the plan up through `selectors.plan_for` (404 outside the user's scope). People
who may read a plan but not change it get 403 with the reason when they try to write.
"""

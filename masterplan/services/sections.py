"""Editing the text sections of a plan's book (background, SWOT, vision, governance, ...)."""

from django.db import transaction
from django.utils.translation import gettext as _

from masterplan.models import MasterPlan
from masterplan.services.drafting import claim_plan_version, require_plan_editor
from masterplan.services.errors import InvalidInput
from smartcity.models import User

TEXT_SECTIONS = (
    "background",
    "legal_basis",
    "region_profile",
    "issues",
    "vision",
    "mission",
    "objectives",
    "strategy",
    "monitoring",
)
LIST_SECTIONS = ("strengths", "weaknesses", "opportunities", "threats")
MEMBER_SECTIONS = ("council_members", "team_members")
MEMBER_KEYS = ("role", "name", "opd")


def _problems(sections: dict) -> dict[str, str]:
    problems = {}
    for name, value in sections.items():
        if name in TEXT_SECTIONS:
            ok = isinstance(value, str)
        elif name in LIST_SECTIONS:
            ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        elif name in MEMBER_SECTIONS:
            ok = isinstance(value, list) and all(
                isinstance(v, dict)
                and set(v) == set(MEMBER_KEYS)
                and all(isinstance(v[k], str) for k in MEMBER_KEYS)
                and v["role"].strip()
                for v in value
            )
        else:
            problems[name] = _("This is not a section of the plan.")
            continue
        if not ok:
            problems[name] = _("This section is not filled in correctly.")
    return problems


@transaction.atomic
def masterplan_sections_save(
    *, plan: MasterPlan, user: User, expected_version: int, sections: dict
) -> MasterPlan:
    """Save the given sections (texts; SWOT lists of strings; Dewan Smart City and Tim
    Pelaksana members as {role, name, opd}); refused if the plan changed since it was loaded."""
    require_plan_editor(user, plan)
    problems = _problems(sections)
    if problems:
        raise InvalidInput(problems)
    claim_plan_version(plan, expected_version)
    for name, value in sections.items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    plan.save()
    return plan

"""Core domain models: regions, the maturity framework, people with their scope, the outbox."""

from smartcity.models.framework import (
    CrosswalkEntry,
    Element,
    Framework,
    FrameworkStatus,
    Indicator,
    LevelDescriptor,
    Pillar,
    PillarKind,
    PredikatBand,
    ScaleLevel,
    in_language,
)
from smartcity.models.outbox import OutboxMessage
from smartcity.models.people import Membership, Role, User
from smartcity.models.regions import Province, Region, RegionKind

__all__ = [
    "CrosswalkEntry",
    "Element",
    "Framework",
    "FrameworkStatus",
    "Indicator",
    "LevelDescriptor",
    "Membership",
    "OutboxMessage",
    "Pillar",
    "PillarKind",
    "PredikatBand",
    "Province",
    "Region",
    "RegionKind",
    "Role",
    "ScaleLevel",
    "User",
    "in_language",
]

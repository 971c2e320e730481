"""Loading a validated action library into the database."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from masterplan.library_files import LibrarySpec, library_to_json
from masterplan.models import ActionLibrary
from masterplan.services.errors import WrongState
from smartcity.models import Framework


@dataclass(frozen=True)
class LibraryLoad:
    library: ActionLibrary
    created: bool  # False: this very library was already loaded (nothing written)


@transaction.atomic
def action_library_load(*, spec: LibrarySpec, framework: Framework) -> LibraryLoad:
    """Store `spec` (validated against `framework`) as that framework's library version.

    Loading the same content again changes nothing; other content under a version already
    loaded is refused (a loaded library never changes: raise its `version`).
    """
    if (spec.framework_slug, spec.framework_version) != (framework.slug, framework.version):
        raise WrongState(_("The library serves another framework version."))
    existing = ActionLibrary.objects.filter(framework=framework, version=spec.version).first()
    if existing is not None:
        if existing.content_hash == spec.content_hash:
            return LibraryLoad(existing, created=False)
        raise WrongState(
            _(
                "Version %(version)d of this library is already loaded with other content; "
                "give the changed file a higher version."
            )
            % {"version": spec.version}
        )
    library = ActionLibrary.objects.create(
        framework=framework,
        version=spec.version,
        title_id=spec.title.id,
        title_en=spec.title.en,
        content_hash=spec.content_hash,
        spec=library_to_json(spec),
        action_count=len(spec.actions),
    )
    return LibraryLoad(library, created=True)

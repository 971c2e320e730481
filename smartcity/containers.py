"""Zip containers opened safely: Office and OpenDocument files, workbooks, and later the action
library and framework archives all go through here.

A zip declares, for each member, its compressed and its unpacked size; Python's zipfile never
unpacks a member past its declared size (it fails on the checksum instead). So the declared sizes
are checked before anything is unpacked: the number of members, the total unpacked size, and how
tightly a large member is packed (a "zip bomb" packs 1 GiB of zeros into 1 MB). Every member read
through `SafeZip.read` is capped as well, so asking for one small part never unpacks a big one.
"""

import io
import struct
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_MEMBER_READ = 256 * 1024  # a manifest, a content-types list, a relationships part
MAX_MEMBERS = 5000
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 100  # unpacked / packed, for members big enough to matter
RATIO_FROM_BYTES = 1024 * 1024
_CHUNK = 64 * 1024


class ContainerRefused(Exception):
    """The container is damaged, or would unpack to too much; the message says which, in the
    active language, without naming the file (the caller adds the name where it helps)."""


class ContainerDamaged(ContainerRefused):
    """Not a readable zip at all (truncated, corrupt or encrypted)."""


@dataclass(frozen=True)
class Limits:
    members: int = MAX_MEMBERS
    unpacked: int = MAX_UNPACKED
    ratio: int = MAX_RATIO
    member_read: int = MAX_MEMBER_READ


class SafeZip:
    """An opened container whose declared sizes passed the limits."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits) -> None:
        self._archive = archive
        self._limits = limits
        self.names: list[str] = archive.namelist()

    def read(self, name: str, *, limit: int | None = None) -> bytes:
        """One member's bytes, at most `limit` (default MAX_MEMBER_READ) of them."""
        limit = self._limits.member_read if limit is None else limit
        parts, size = [], 0
        try:
            with self._archive.open(name) as member:
                while chunk := member.read(min(_CHUNK, limit + 1 - size)):
                    parts.append(chunk)
                    size += len(chunk)
                    if size > limit:
                        raise ContainerRefused(_member_too_big(name, limit))
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, ValueError) as error:
            # RuntimeError: an encrypted member; the others: damaged data.
            raise ContainerDamaged(damaged_message()) from error
        return b"".join(parts)

    def verify(self) -> None:
        """Unpack every member, streamed and within its declared size, to check its checksum
        (a member lying about its size fails here)."""
        try:
            for info in self._archive.infolist():
                with self._archive.open(info) as member:
                    while member.read(_CHUNK):
                        pass
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, ValueError) as error:
            raise ContainerDamaged(damaged_message()) from error


def damaged_message() -> str:
    return _("The file is damaged or incomplete and cannot be opened.")


def _member_too_big(name: str, limit: int) -> str:
    return _("The part “%(part)s” of the file unpacks to more than %(max)s.") % {
        "part": name[:80],
        "max": filesizeformat(limit),
    }


def check_declared_sizes(infos: list[zipfile.ZipInfo], limits: Limits = Limits()) -> None:
    """Refuse a container with too many members, too large when unpacked, or packed like a bomb."""
    if len(infos) > limits.members:
        raise ContainerRefused(_too_many_parts(len(infos), limits))
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.unpacked:
        raise ContainerRefused(
            _(
                "The file unpacks to %(size)s; at most %(max)s are accepted. Save it again "
                "without large embedded files, or split it."
            )
            % {"size": filesizeformat(unpacked), "max": filesizeformat(limits.unpacked)}
        )
    for info in infos:
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size >= RATIO_FROM_BYTES and ratio > limits.ratio:
            raise ContainerRefused(
                _(
                    "The part “%(part)s” is packed %(ratio)d times tighter than ordinary "
                    "documents are, as in a “zip bomb”. Save the file again normally and upload "
                    "that copy."
                )
                % {"part": info.filename[:80], "ratio": ratio}
            )


def _check_member_count(data: bytes, limits: Limits) -> None:
    """The member count from the end record, before zipfile builds an object for every member
    (a 10 MB file can declare 200 000 of them)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return  # not a zip, or a zip64 one: zipfile decides, and the count is checked after
    (count,) = struct.unpack("<H", data[end + 10 : end + 12])
    if count != 0xFFFF and count > limits.members:
        raise ContainerRefused(_too_many_parts(count, limits))


def _too_many_parts(count: int, limits: Limits) -> str:
    return _("The file holds %(count)d parts; at most %(max)d are accepted.") % {
        "count": count,
        "max": limits.members,
    }


@contextmanager
def open_zip(data: bytes, limits: Limits = Limits()) -> Iterator[SafeZip]:
    """Open a zip held in memory after checking its declared sizes; raises ContainerRefused."""
    _check_member_count(data, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ContainerDamaged(damaged_message()) from error
    with archive:
        check_declared_sizes(archive.infolist(), limits)
        yield SafeZip(archive, limits)

"""Files on disk: atomic writes, checks before writing, errors in words.

Saving a model or a chart must never leave a half-written file, must say
before a long training run whether the file can be written at all, and
must say what went wrong in a sentence rather than ``[Errno 13]``. This
module does those three things for ``backprop.io`` and ``backprop.plot``.

==============  ========================================================
function        description
==============  ========================================================
write_atomic    write text to a file: the old file or the new, never half
check_writable  refuse, before any work, a path that cannot be written
read_bytes      read at most ``limit + 1`` bytes of a file
file_error      an OSError as a sentence naming the file
==============  ========================================================

>>> import os, tempfile
>>> folder = tempfile.TemporaryDirectory()
>>> path = os.path.join(folder.name, "note.txt")
>>> check_writable(path)                # nothing written yet
>>> write_atomic(path, "eta = 0.5\\n")
>>> read_bytes(path, 100)
b'eta = 0.5\\n'
>>> check_writable(os.path.join(folder.name, "nodir", "m.json"))
Traceback (most recent call last):
  ...
FileNotFoundError: cannot write '.../nodir/m.json': the folder \
'.../nodir' does not exist
>>> folder.cleanup()
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time

__all__ = ["write_atomic", "check_writable", "read_bytes", "file_error",
           "STALE_AFTER"]

STALE_AFTER = 10.0
"""Seconds after which an unlocked temporary file of a save is stale."""

# O_EXCL refuses an existing name or a planted symlink; O_BINARY: without
# it, Windows would write each "\n" as "\r\n"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)

# The words for an errno; ENOENT and ENOTDIR are worked out from the
# path, and any other errno says its own strerror.
_REASONS = {getattr(errno, name): text for name, text in [
    ("EACCES", "permission denied"),
    ("EPERM", "the operation is not permitted"),
    ("EROFS", "the file system is read-only"),
    ("ENOSPC", "the disk is full"),
    ("EDQUOT", "the disk quota is used up"),
    ("EISDIR", "it is a folder"),
    ("ENAMETOOLONG", "the name is too long"),
    ("ELOOP", "it is a loop of symbolic links"),
    ("EIO", "the disk or the connection to it failed (input/output "
            "error)"),
    ("EBUSY", "the file is busy"),
    ("EINVAL", "the name is not valid here")] if hasattr(errno, name)}


# === Writing ================================================================


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write text to path as UTF-8 with Unix line ends, atomically.

    The text goes to a new temporary file ``.NAME.<12 hex digits>.tmp``
    in path's folder (a rename is atomic only within one file system),
    is flushed and fsync-ed, and is then renamed over path with
    os.replace. On any error, Ctrl-C included, the temporary file is
    removed and path is untouched. A process killed outright cannot
    clean up; the next write to the same path removes such stale
    temporary files (older than STALE_AFTER seconds and not locked by a
    write in progress).

    If path is a symbolic link, the file it points to is written and the
    link stays. A new file gets the permissions open() would give it
    (the temporary file is made with os.open(..., O_CREAT | O_EXCL,
    0o666) and the kernel applies the umask); a file that exists keeps
    its own. Used by ``io.save`` and ``plot.save_svg``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_atomic(folder + "/note.txt", "one\\ntwo\\n")
    ...     with open(folder + "/note.txt", "rb") as f:
    ...         print(f.read(), os.listdir(folder))
    b'one\\ntwo\\n' ['note.txt']

    Raises OSError saying in words why path cannot be written (path
    untouched), TypeError if path is not a str or os.PathLike.
    """
    path = _target("write_atomic", path)
    _refuse(path)
    try:
        mode: int | None = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = None
    tmp = _temp_name(path)
    try:
        fd = os.open(tmp, _FLAGS, 0o666)
    except OSError as e:
        raise file_error(e, "write", path) from None
    try:
        _lock(fd, wait=True)       # tells a cleaner this write is alive
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())   # the bytes are on disk before the rename
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)      # atomic: old file or new, never half
    except BaseException as e:     # Ctrl-C too
        _unlink(tmp)
        if isinstance(e, OSError):
            raise file_error(e, "write", path) from None
        raise
    _remove_stale(path)


def check_writable(path: str | os.PathLike[str]) -> None:
    """Return None if a file can be written at path, or raise saying why.

    Meant to run before a long computation whose result goes to path
    (``train --save``): it creates and removes a temporary file in
    path's folder, the one test that catches every cause (a missing
    folder, no permission, a read-only file system). It also refuses a
    folder and an existing file that is read-only.

    >>> check_writable("/")
    Traceback (most recent call last):
      ...
    IsADirectoryError: cannot write '/': it is a folder; give a file \
name such as '/net.json'

    Raises OSError (FileNotFoundError, PermissionError, IsADirectoryError,
    ...) whose message names path and the reason, TypeError if path is
    not a str or os.PathLike.
    """
    path = _target("check_writable", path)
    _refuse(path)
    tmp = _temp_name(path)
    try:
        os.close(os.open(tmp, _FLAGS, 0o666))
    except OSError as e:
        raise file_error(e, "write", path) from None
    _unlink(tmp)


def _target(func: str, path: object) -> str:
    """Return path as a str, the target of a symbolic link followed."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{func}: path must be a str or os.PathLike, got "
                        f"{type(path).__name__}")
    path = os.fspath(path)
    if not isinstance(path, str):
        raise TypeError(f"{func}: path must be text, not bytes")
    if not path:
        e = FileNotFoundError("cannot write '': the file name is empty")
        e.errno = errno.ENOENT
        raise e
    return os.path.realpath(path) if os.path.islink(path) else path


def _refuse(path: str) -> None:
    """Refuse a folder and a read-only file before anything is written."""
    if os.path.isdir(path):
        e: OSError = IsADirectoryError(
            f"cannot write {path!r}: it is a folder; give a file name "
            f"such as {os.path.join(path, 'net.json')!r}")
        e.errno = errno.EISDIR
        raise e
    if os.path.exists(path) and not os.access(path, os.W_OK):
        e = PermissionError(f"cannot write {path!r}: permission denied "
                            "(the file is read-only)")
        e.errno = errno.EACCES
        raise e


def _temp_name(path: str) -> str:
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# === Stale temporary files ==================================================


def _lock(fd: int, *, wait: bool) -> bool:
    """Return True once fd holds an exclusive lock (always without
    fcntl: on Windows an open file cannot be deleted anyway)."""
    try:
        import fcntl
    except ImportError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def _remove_stale(path: str) -> None:
    """Remove what killed writes to path left: ``.NAME.<hex>.tmp`` files
    older than STALE_AFTER seconds that no live write holds locked."""
    folder, name = os.path.split(os.path.abspath(path))
    ours = re.compile(re.escape(f".{name}.") + r"[0-9a-f]{12}\.tmp\Z")
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        if not ours.match(entry):
            continue
        tmp = os.path.join(folder, entry)
        try:
            st = os.lstat(tmp)
            if not stat.S_ISREG(st.st_mode) \
                    or time.time() - st.st_mtime < STALE_AFTER:
                continue
            fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            try:
                free = _lock(fd, wait=False)
            finally:
                os.close(fd)
            if free:
                os.unlink(tmp)
        except OSError:
            pass                   # gone already, or not ours to remove


# === Reading and errors =====================================================


def read_bytes(path: str | os.PathLike[str], limit: int) -> bytes:
    """Return the bytes of the file at path, but at most limit + 1 of
    them, so that a caller can refuse a file over limit without reading
    all of a huge one (or the endless ``/dev/zero``).

    >>> len(read_bytes("/dev/zero", 10)) if os.path.exists("/dev/zero") \\
    ...     else 11
    11

    Raises OSError saying in words why path cannot be read.
    """
    try:
        with open(path, "rb") as f:
            return f.read(limit + 1)
    except OSError as e:
        raise file_error(e, "read", os.fspath(path)) from None


def file_error(exc: OSError, verb: str, path: str) -> OSError:
    """Return exc as the same kind of OSError saying in a sentence what
    went wrong, in place of the raw ``[Errno 2] No such file or
    directory``. An OSError without an errno is returned as it is.

    >>> file_error(FileNotFoundError(errno.ENOENT, "No such file or "
    ...                              "directory"), "write", "nodir/m.json")
    FileNotFoundError("cannot write 'nodir/m.json': the folder 'nodir' \
does not exist")
    >>> file_error(PermissionError(errno.EACCES, "Permission denied"),
    ...            "read", "m")
    PermissionError("cannot read 'm': permission denied")

    "does not exist" is said only when the folder really does not.
    """
    if exc.errno is None:
        return exc
    folder = os.path.dirname(path) or "."
    reason = _REASONS.get(exc.errno) or (exc.strerror or str(exc)).lower()
    if exc.errno == errno.ENOENT:
        reason = "there is no such file" if os.path.isdir(folder) \
            else f"the folder {folder!r} does not exist"
    elif exc.errno == errno.ENOTDIR:
        reason = "a part of the path is not a folder"
        if os.path.isfile(folder):
            reason = f"{folder!r} is a file, not a folder"
    new = type(exc)(f"cannot {verb} {path!r}: {reason}")
    new.errno = exc.errno
    return new

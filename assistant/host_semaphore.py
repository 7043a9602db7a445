"""A counting semaphore shared by every process of one host, woken in arrival order, that a dead process cannot leak.

Several API workers on one host share its cores, but each sees only the connections it accepted. Connections
are kept alive (browsers, the Telegram Bot API's webhook pool, a proxy's upstream pool) and land unevenly:
uvicorn's workers share one listening socket, and whichever is awake accepts every connection waiting, so
splits like 28/4 over two workers are common. With a queue of turns per worker, the worker holding 28
connections gives each a sixteenth of the CPU while the other serves its 4 at once, and its clients wait
two to three times as long. One queue per host serves every waiting turn in arrival order whichever worker
holds it (bench/README.md, "One queue of turns per host").

System V semaphores do that (`semget`/`semop` from the C library, through ctypes; Linux and the BSDs, not
Windows): the kernel queues blocked `semop` calls first come, first served, and with `SEM_UNDO` it gives
back the slots of a process that dies holding them, `kill -9` included. The semaphore is named by a key
derived from a name and the number of slots, so a changed setting starts a fresh one; `remove` deletes it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import zlib
from types import TracebackType

_IPC_CREAT, _IPC_EXCL, _IPC_RMID, _SETVAL, _SEM_UNDO = 0o1000, 0o2000, 0, 16, 0x1000


class _SemBuf(ctypes.Structure):
    _fields_ = [("sem_num", ctypes.c_ushort), ("sem_op", ctypes.c_short), ("sem_flg", ctypes.c_short)]


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if not hasattr(libc, "semop"):  # pragma: no cover - platforms without System V IPC
        raise OSError(errno.ENOSYS, "this C library has no System V semaphores")
    return libc


def _key(name: str, slots: int) -> int:
    return (zlib.crc32(f"iei-turns:{name}:{slots}".encode()) & 0x7FFFFFFE) + 1  # never 0 (IPC_PRIVATE)


class HostSemaphore:
    """`with semaphore:` holds one of `slots` slots shared by every process that opens the same `name`."""

    def __init__(self, name: str, slots: int) -> None:
        if slots < 1:
            raise ValueError("a semaphore needs at least one slot")
        self.name, self.slots = name, slots
        self._libc = _libc()
        key = _key(name, slots)
        semid = self._libc.semget(key, 1, _IPC_CREAT | _IPC_EXCL | 0o600)
        if semid >= 0:
            # Created here. A process that opens it before this line blocks in semop until the slots appear.
            self._check(self._libc.semctl(semid, 0, _SETVAL, ctypes.c_int(slots)))
        else:
            if ctypes.get_errno() != errno.EEXIST:
                self._check(semid)
            semid = self._check(self._libc.semget(key, 1, 0o600))
        self._semid = semid
        self._take = _SemBuf(0, -1, _SEM_UNDO)
        self._give = _SemBuf(0, 1, _SEM_UNDO)

    def __enter__(self) -> HostSemaphore:
        # ctypes releases the GIL for the call, so the worker's other threads run while this one waits.
        while self._libc.semop(self._semid, ctypes.byref(self._take), 1) < 0:
            if ctypes.get_errno() != errno.EINTR:  # a signal (uvicorn's shutdown) interrupts the wait
                self._check(-1)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._check(self._libc.semop(self._semid, ctypes.byref(self._give), 1))

    @classmethod
    def remove(cls, name: str, slots: int) -> None:
        """Delete the semaphore, once no process of the host uses it any more (waiters would get an error)."""
        libc = _libc()
        semid = libc.semget(_key(name, slots), 1, 0o600)
        if semid >= 0:
            libc.semctl(semid, 0, _IPC_RMID)

    @staticmethod
    def _check(result: int) -> int:
        if result < 0:
            code = ctypes.get_errno()
            raise OSError(code, f"System V semaphore: {os.strerror(code)}")
        return result

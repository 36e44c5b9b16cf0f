"""A receiver running on a loopback port in a background thread, a blocking client, and frames."""

import asyncio
import datetime as dt
import socket
import threading

from hypothesis import strategies as st

from kuangzheng.access.actor import Actor
from kuangzheng.hj212 import services
from kuangzheng.hj212.core import frame as fr
from kuangzheng.hj212.ingest import PointCache
from kuangzheng.hj212.server import Options, Receiver

ADMIN = Actor("t-admin", "admin")
LIMIT = {"code": "a21026", "value": 100, "basis": "converted", "source": "排污许可证（示例）", "is_example": True}
MN = "AB12CD34EF56AB12CD34EF56"
PW = "123456"


def register(facility_pk, mn=MN, **kw):
    data = {"facility": facility_pk, "mn": mn, "password": PW, "name": "1号烟囱", "medium": "air"}
    data.update(kw)
    return services.register_point(ADMIN, data)


def limited_point(facility_pk):
    """A flue-gas point at 6 % reference O₂ with the example SO₂ limit on converted values."""
    p = register(facility_pk, reference_o2=6)
    services.set_limit(ADMIN, p.pk, LIMIT)
    return p


def ingest(*raws, strict=True):
    """Store frames through the receiver's store, as its writer thread does; all must be accepted."""
    outcomes = services.store_frames([(fr.parse(r), r) for r in raws], PointCache(refresh=0), strict)
    assert all(o.accepted for o in outcomes), outcomes
    return outcomes


class Running:
    """`Receiver` with the real store on a loopback port, its loop in a thread."""

    def __init__(self, strict=True, **options):
        self.cache = PointCache(refresh=0)
        self.loop = asyncio.new_event_loop()
        opts = Options(port=0, strict=strict, **options)
        self.receiver = Receiver(opts, lambda batch: services.store_frames(batch, self.cache, strict))
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self.receiver.start(), self.loop).result(10)

    def close(self):
        asyncio.run_coroutine_threadsafe(self.receiver.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    def connect(self, timeout=5.0):
        return Client(self.port, timeout)


class Client:
    def __init__(self, port, timeout=5.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def send(self, data: bytes):
        self.sock.sendall(data)

    def answer(self) -> fr.Frame:
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\r\n")
        return fr.parse(line + b"\r\n", strict=False)

    def ask(self, data: bytes) -> fr.Frame:
        self.send(data)
        return self.answer()

    def close(self):
        self.sock.close()


def upload(
    cn="2011",
    values="a21026-Rtd=35.2,a21026-Flag=N;a19001-Rtd=9.0,a19001-Flag=N",
    when=None,
    qn=None,
    mn=MN,
    pw=PW,
    flag=5,
):
    when = when or dt.datetime.now().replace(microsecond=0)
    qn = qn or when.strftime("%Y%m%d%H%M%S") + "001"
    return fr.build(qn, "31", cn, pw, mn, flag, f"DataTime={when:%Y%m%d%H%M%S};{values}")


@st.composite
def mutations(draw, seeds):
    """A valid frame with 1-6 mutations: bit flips, inserted, deleted, duplicated bytes, truncation,
    and protocol characters written over others."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate", "ascii"]))
        i = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete" and data:
            del data[i : i + draw(st.integers(1, 8))]
        elif op == "truncate":
            data = data[:i]
        elif op == "duplicate":
            data[i:i] = data[i : i + draw(st.integers(1, 40))]
        elif op == "ascii" and data:
            data[i] = ord(draw(st.sampled_from(";,=&-#.eE+nN0123456789")))
    return bytes(data)

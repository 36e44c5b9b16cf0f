"""`kz hj212 serve`: the asyncio TCP receiver.

Each connection is read in chunks and cut into frames at CR LF by the receiver itself, so a frame
longer than 1036 bytes is dropped without being buffered whole; a connection idle longer than the
read timeout is closed; connections beyond the limit are closed at once. Accepted frames go to one
writer thread that stores them in batches (group commit: while it writes, the next batch gathers);
the answer (9014 when Flag asks for one, 9011 with the QnRtn of a refusal) is sent once the frame is
stored. No input ends the server: every handler catches what its connection can raise.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .core import replies
from .core.frame import MAX_FRAME, Frame, FrameError, QnRtn, parse, segment_of
from .core.packets import Reassembler

log = logging.getLogger("kuangzheng.hj212")


def run(main):
    """Run a coroutine on uvloop (libuv: accepting, reading and writing sockets in C) where it
    exists, on asyncio's own loop elsewhere (uvloop has no Windows build)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


@dataclass
class Options:
    host: str = "127.0.0.1"
    port: int = 9527
    strict: bool = True
    read_timeout: float = 120.0  # seconds a connection may stay silent (a logger sends every 30-3600 s)
    max_connections: int = 20_000
    batch_max: int = 2_000
    queue_max: int = 50_000
    evaluate_every: float = 0.0  # seconds between alarm evaluations (0: none in this process)


class Receiver:
    def __init__(self, options: Options, store, evaluate=None):
        """`store(list[(Frame, raw)]) -> list[Outcome]` runs in the writer thread, `evaluate()` in
        another."""
        self.options, self.store_batch, self.evaluate = options, store, evaluate
        self.stats: Counter = Counter()
        self.connections = 0
        self.reassembler = Reassembler()
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="hj212-writer")
        # alarm evaluation reads much and writes little: its own thread (and database connection), so
        # that its reads do not hold up the batches and their answers
        self.evaluator = ThreadPoolExecutor(1, thread_name_prefix="hj212-evaluate")
        self.queue: asyncio.Queue | None = None
        self.server: asyncio.AbstractServer | None = None
        self.tasks: list[asyncio.Task] = []
        self.handlers: set[asyncio.Task] = set()

    async def start(self) -> int:
        self.queue = asyncio.Queue(self.options.queue_max)
        self.server = await asyncio.start_server(self.handle, self.options.host, self.options.port, backlog=4096)
        self.tasks = [asyncio.create_task(self.writer_loop())]
        if self.evaluate and self.options.evaluate_every > 0:
            self.tasks.append(asyncio.create_task(self.evaluate_loop()))
        return self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.server:
            self.server.close()
            await self.server.wait_closed()
        for t in [*self.tasks, *self.handlers]:
            t.cancel()
        await asyncio.gather(*self.tasks, *self.handlers, return_exceptions=True)
        self.executor.shutdown(wait=True)
        self.evaluator.shutdown(wait=True)

    # ------------------------------------------------------------ connections

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.connections >= self.options.max_connections:
            self.stats["connections_refused"] += 1
            writer.close()
            return
        self.connections += 1
        self.stats["connections"] += 1
        task = asyncio.current_task()
        self.handlers.add(task)
        try:
            await self.read_frames(reader, writer)
        except (ConnectionError, OSError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        except Exception:  # a bug must cost one connection, never the server
            self.stats["handler_errors"] += 1
            log.exception("connection handler failed")
        finally:
            self.handlers.discard(task)
            self.connections -= 1
            writer.close()

    async def read_frames(self, reader, writer) -> None:
        buf, skipping = bytearray(), False
        while True:
            try:
                async with asyncio.timeout(self.options.read_timeout):  # no extra task, unlike wait_for
                    chunk = await reader.read(65536)
            except TimeoutError:
                self.stats["timeouts"] += 1
                return
            if not chunk:
                return
            buf += chunk
            lines = []
            while True:
                end = buf.find(b"\r\n")
                if end < 0:
                    if len(buf) > MAX_FRAME:  # no end in sight: drop it, and the rest up to the next CR LF
                        self.stats["oversize"] += 1
                        del buf[:-1]  # keep a trailing CR that may start the CR LF
                        skipping = True
                    break
                line = bytes(buf[: end + 2])
                del buf[: end + 2]
                if skipping:
                    skipping = False
                    continue
                if len(line) > MAX_FRAME:
                    self.stats["oversize"] += 1
                    continue
                lines.append(line)
            # the frames of one read are stored together (a logger may send several before an answer);
            # each task parses and reassembles before its first await, so packets keep their order,
            # and the answers go out in the order the frames came
            if len(lines) == 1:  # the usual case: one frame, then the logger waits for its answer
                answered = [await self.process(lines[0])]
            else:
                answered = await asyncio.gather(*(self.process(line) for line in lines))
            for answers in answered:
                for answer in answers:
                    writer.write(answer)
            if lines:
                await writer.drain()

    # ------------------------------------------------------------ frames

    async def process(self, line: bytes) -> list[bytes]:
        """The answers to one received line."""
        self.stats["frames"] += 1
        if not self.options.strict:
            start = line.rfind(b"##")  # noise before the header (modems, retries glued together)
            line = line[start:] if start > 0 else line
        try:
            frame = parse(line, strict=self.options.strict)
        except FrameError as exc:
            self.stats["refused"] += 1
            log.info("refused frame (%s): %s", int(exc.rtn), exc.reason)
            answer = replies.refusal(exc.fields, exc.rtn)
            return [answer] if answer else []
        if not frame.crc_ok:
            self.stats["kept_bad_crc"] += 1
        whole = self.reassembler.add(frame)
        if whole is None:  # one packet of several: acknowledged, stored when all are in
            self.stats["packets"] += 1
            return [replies.data_answer(frame)] if frame.wants_reply else []
        raw = line if whole is frame else self.rebuilt(whole)
        outcome = await self.submit(whole, raw)
        if not outcome.accepted:
            self.stats["refused"] += 1
            return [replies.request_answer(whole, outcome.rtn)]
        self.stats["duplicates" if outcome.duplicate else "stored"] += 1
        answer = replies.answer_upload(whole)
        return [answer] if answer else []

    @staticmethod
    def rebuilt(f: Frame) -> bytes:
        return segment_of(f.qn, f.st, f.cn, f.pw, f.mn, f.flag or 0, f.cp).encode()

    async def submit(self, frame: Frame, raw: bytes):
        future = asyncio.get_running_loop().create_future()
        await self.queue.put((frame, raw, future))
        return await future

    async def writer_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self.queue.get()]
            while len(batch) < self.options.batch_max and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            started = time.monotonic()
            try:
                outcomes = await loop.run_in_executor(self.executor, self.store_batch, [(f, r) for f, r, _ in batch])
            except Exception as exc:  # the database is down: the loggers are told to retry (QnRtn 100)
                log.exception("storing %d frames failed", len(batch))
                self.stats["store_errors"] += 1
                outcomes = [replies.Outcome(False, QnRtn.UNKNOWN, reason=str(exc)[:200])] * len(batch)
            self.count_batch(len(batch), time.monotonic() - started)
            for (_, _, future), outcome in zip(batch, outcomes):
                if not future.done():
                    future.set_result(outcome)

    def count_batch(self, frames: int, seconds: float) -> None:
        """Timing counters (in the stats printed at shutdown): where a reply's wait goes."""
        ms = round(seconds * 1000)
        self.stats["batches"] += 1
        self.stats["batch_frames_max"] = max(self.stats["batch_frames_max"], frames)
        self.stats["store_ms_total"] += ms
        self.stats["store_ms_max"] = max(self.stats["store_ms_max"], ms)
        self.stats["store_over_50ms"] += ms > 50

    async def evaluate_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.options.evaluate_every)
            started = time.monotonic()
            try:
                await loop.run_in_executor(self.evaluator, self.evaluate)
                self.stats["evaluations"] += 1
            except Exception:
                log.exception("alarm evaluation failed")
            self.stats["evaluation_ms"] = int((time.monotonic() - started) * 1000)

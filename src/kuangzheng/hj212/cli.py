"""`kz hj212 …`: the receiver, the simulator, alarm evaluation and retention."""

from __future__ import annotations

import asyncio
import json
import logging
import signal

import click

from kuangzheng.runtime import setup_django


@click.group()
def hj212():
    """在线监控 HJ 212-2017 online monitoring: receiver, simulator, alarms."""


@hj212.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9527, show_default=True, type=int)
@click.option(
    "--lenient", is_flag=True, help="Keep what is readable from broken frames (logged) instead of refusing them."
)
@click.option("--read-timeout", default=120.0, show_default=True, help="Seconds a connection may stay silent.")
@click.option("--max-connections", default=10_000, show_default=True, type=int)
@click.option("--evaluate-every", default=60.0, show_default=True, help="Seconds between alarm evaluations (0: never).")
def serve(host, port, lenient, read_timeout, max_connections, evaluate_every):
    """Receive HJ 212-2017 frames over TCP, store them and answer as the standard says."""
    setup_django()
    from . import partitions, services
    from .ingest import PointCache
    from .server import Options, Receiver, run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    partitions.ensure()
    strict = not lenient
    cache = PointCache()
    options = Options(host, port, strict, read_timeout, max_connections, evaluate_every=evaluate_every)
    receiver = Receiver(
        options, lambda batch: services.store_frames(batch, cache, strict), services.evaluate_in_receiver
    )

    async def main():
        bound = await receiver.start()
        click.echo(f"HJ 212 接收服务 / receiver on {host}:{bound} ({'strict' if strict else 'lenient'})", err=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await receiver.stop()
        click.echo(json.dumps(dict(receiver.stats)), err=True)

    run(main())


@hj212.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9527, show_default=True, type=int)
@click.option("--points", default=10, show_default=True, type=int, help="How many registered points to simulate.")
@click.option("--interval", default=30.0, show_default=True, help="Seconds between real-time frames.")
@click.option("--duration", default=3600.0, show_default=True, help="Seconds to run.")
@click.option("--bad-crc", default=0.0, help="Share of real-time frames sent with a wrong CRC.")
@click.option("--split", default=0.0, help="Share of real-time frames sent as split packets.")
@click.option("--exceed", default=0, help="How many points send values above their limits.")
@click.option("--silence", default=0, help="How many points fall silent after --silent-after frames.")
@click.option("--silent-after", default=3, show_default=True)
@click.option("--fault", default=0, help="How many points report an analyser fault (flag D).")
def simulate(host, port, points, interval, duration, bad_crc, split, exceed, silence, silent_after, fault):
    """Simulate data loggers for the registered points (demo, tests, benchmark)."""
    setup_django()
    from . import simulator
    from .models import MonitoringPoint
    from .server import run

    specs = []
    for p in MonitoringPoint.objects.prefetch_related("limits").order_by("pk")[:points]:
        limits = {x.code: (x.value, x.basis) for x in p.limits.all()}
        default = ["a21026", "a21002", "a34013", "a19001"] if p.medium == "air" else ["w01018", "w21003"]
        specs.append(simulator.LoggerSpec(p.mn, p.password, p.medium, sorted(set(default) | set(limits)), limits))
    if not specs:
        raise click.ClickException("没有已登记的监测点 / no registered monitoring points")
    with_limits = [s.mn for s in specs if s.limits]
    faults = simulator.Faults(
        bad_crc=bad_crc,
        split=split,
        exceed=set(with_limits[:exceed]),
        silent={s.mn for s in specs[::-1][:silence]},
        silent_after=silent_after,
        fault={s.mn for s in specs[exceed : exceed + fault]},
    )
    click.echo(
        json.dumps({"exceed": sorted(faults.exceed), "silent": sorted(faults.silent), "fault": sorted(faults.fault)}),
        err=True,
    )
    stats = run(simulator.simulate(specs, host, port, interval, duration, faults))
    click.echo(json.dumps(stats.summary()))


@hj212.command()
def evaluate():
    """Evaluate the alarms now (exceedance, device states, silence, capture rate)."""
    setup_django()
    from . import alarms

    click.echo(json.dumps(alarms.evaluate(), ensure_ascii=False))


@hj212.command("derive-hours")
@click.option("--hours", type=int, default=26, show_default=True, help="How many past hours to look at.")
def derive_hours(hours):
    """Derive hourly values from real-time or minute data for the hours a logger sent none for
    (evaluation does this for the last 26 hours; this fills older ones)."""
    setup_django()
    import datetime as dt

    from . import hourly

    click.echo(json.dumps(hourly.derive(lookback=dt.timedelta(hours=hours))))


@hj212.command()
@click.option("--days", type=int, default=None, help="Override KZ_HJ212_RETENTION_DAYS.")
def purge(days):
    """Delete real-time and minute values and raw frames past the retention period."""
    setup_django()
    from django.utils import timezone

    from . import partitions

    click.echo(json.dumps(partitions.purge(timezone.now(), days), ensure_ascii=False))

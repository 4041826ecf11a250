#!/usr/bin/env python3
"""A wire with a fixed one-way delay, for lab/nat-lab.sh (this kernel has no netem qdisc).

    delay-line.py DELAY_MS IF1 IF2 WATCH_PATH

Creates two TAP devices IF1 and IF2 in the current network namespace and forwards every Ethernet
frame that one of them sends to the other, DELAY_MS milliseconds later (in both directions, in
order). The caller moves the devices where they belong (`ip link set IF netns NS`: the file
descriptors stay valid) and configures them; "ready" on stdout says that both exist.

It exits by itself when a device goes away (its namespace was deleted: reads fail) or when
WATCH_PATH no longer exists (the lab's state was removed), and on SIGTERM. It asks for a real-time
priority (where allowed) so that a busy machine does not stretch the wire's delay: a wire does not
wait for a CPU. Python 3 standard library only; needs root (CAP_NET_ADMIN) and /dev/net/tun.
"""
import collections
import errno
import fcntl
import os
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
WATCH_EVERY = 1.0
MAX_QUEUED = 10_000  # frames per direction; more than this on a lab link is a runaway, dropped


def tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def prioritise():
    """Real-time FIFO scheduling at a modest priority, else a better nice value, else as it is."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
        return "SCHED_FIFO 10"
    except (AttributeError, OSError):
        pass
    try:
        os.nice(-10)
        return "nice -10"
    except OSError:
        return "normal priority"


def main(argv):
    if len(argv) != 5:
        print("usage: delay-line.py DELAY_MS IF1 IF2 WATCH_PATH", file=sys.stderr)
        return 2
    try:
        delay = float(argv[1]) / 1000
    except ValueError:
        delay = -1
    if delay < 0:
        print(f"delay-line: DELAY_MS: {argv[1]!r} (expected: a number >= 0)", file=sys.stderr)
        return 2
    watch = argv[4]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    fds = [tap(argv[2]), tap(argv[3])]
    other = {fds[0]: fds[1], fds[1]: fds[0]}
    queues = {fd: collections.deque() for fd in fds}  # frames due to be written to fd, oldest first
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLIN)
    priority = prioritise()
    print("ready", flush=True)
    print(f"delay-line: {argv[2]} <-> {argv[3]}, {argv[1]} ms each way, {priority}", file=sys.stderr, flush=True)

    next_watch = time.monotonic() + WATCH_EVERY
    while True:
        now = time.monotonic()
        due = [q[0][0] for q in queues.values() if q]
        wake = min(due + [next_watch])
        for fd, events in poller.poll(max(0, (wake - now) * 1000)):
            if events & (select.POLLERR | select.POLLHUP | select.POLLNVAL):
                print(f"delay-line: poll events {events:#x} on fd {fd}: exiting", file=sys.stderr, flush=True)
                return 0  # the device is gone: the lab was torn down
            try:
                while True:
                    frame = os.read(fd, 65536)
                    if not frame:
                        print(f"delay-line: EOF on fd {fd}: exiting", file=sys.stderr, flush=True)
                        return 0
                    queue = queues[other[fd]]
                    if len(queue) < MAX_QUEUED:
                        queue.append((time.monotonic() + delay, frame))
            except BlockingIOError:
                pass
            except OSError as e:
                print(f"delay-line: read: {e}: exiting", file=sys.stderr, flush=True)
                return 0
        now = time.monotonic()
        for fd, queue in queues.items():
            while queue and queue[0][0] <= now:
                try:
                    os.write(fd, queue.popleft()[1])
                except BlockingIOError:
                    pass  # the device's queue is full: the frame is lost, as on a congested wire
                except OSError as e:
                    if e.errno == errno.EIO:
                        continue  # that end is down (e.g. still being set up): lost, as on an unplugged wire
                    print(f"delay-line: write: {e}: exiting", file=sys.stderr, flush=True)
                    return 0
        if now >= next_watch:
            if not os.path.exists(watch):
                print(f"delay-line: {watch} is gone: exiting", file=sys.stderr, flush=True)
                return 0
            next_watch = now + WATCH_EVERY


if __name__ == "__main__":
    sys.exit(main(sys.argv))

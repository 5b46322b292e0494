"""Scripted tests of the network (docs/network.md): the machine gets an
e1000 on QEMU's user network (scripts/qemu --net), the kernel's DHCP
client takes the lease QEMU offers (10.0.2.15, gateway 10.0.2.2), and
ping, from the shell, gets echo replies from the gateway while the card's
counters in kstat move. The static fallback is tried with `netstatic` on
the command line, and a machine with no card makes ping fail cleanly."""
import re
import socket

from tests.runner import case
from tests.cases_shell import command, start

LEASE = r"net: address 10\.0\.2\.15 netmask 255\.255\.255\.0 gateway 10\.0\.2\.2 \((DHCP lease|static), (\d+) ms after boot\)"


def free_port():
    """A host TCP port nobody listens on now, for the forward QEMU sets
    up (tests run side by side: each needs its own)."""
    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        return sk.getsockname()[1]


def counters(s, out):
    """{name: value} of ifconfig's counter lines."""
    got = {}
    for way in ("rx", "tx"):
        m = re.search(rf"{way} packets (\d+) bytes (\d+)", out)
        if not m:
            s.fail(f"ifconfig shows no {way} counters: {out!r}")
        got[f"{way}_packets"], got[f"{way}_bytes"] = int(m.group(1)), int(m.group(2))
    m = re.search(r"drops (\d+) errors (\d+)", out)
    if not m:
        s.fail(f"ifconfig shows no drops and errors: {out!r}")
    got["drops"], got["errors"] = int(m.group(1)), int(m.group(2))
    return got


def lease(s):
    """The kernel's line about its address, logged before or after the
    shell's first prompt: (how, ms after boot)."""
    start(s)
    m = re.search(LEASE, s.serial) or s.wait_for(LEASE, timeout=20)
    return m.group(1), int(m.group(2))


def ping_gateway(s):
    """ping 10.0.2.2 three times under leakcheck: every reply comes, and
    nothing leaks."""
    out = command(s, "leakcheck ping 10.0.2.2 3")
    if not re.search(r"ping: from 10\.0\.2\.15 to 10\.0\.2\.2", out):
        s.fail(f"ping does not show the interface's address: {out!r}")
    if "ping: 3 sent, 3 received" not in out:
        s.fail(f"ping's echo requests were not all answered: {out!r}")
    if "LEAKCHECK PASS ping" not in out:
        s.fail(f"ping did not pass leakcheck: {out!r}")


@case(boot=False, timeout=60)
def net_dhcp_ping(s):
    """The kernel logs its DHCP lease, 10.0.2.15/24 with gateway
    10.0.2.2; ifconfig shows it with the card's MAC; ping 10.0.2.2 gets
    three replies; the receive and transmit counters grow by at least the
    echoes, with no error. A TCP connection from the host to the
    forwarded port reaches the guest's stack, which has no listener and
    refuses it: the host sees the connection end, and the guest lives."""
    port = free_port()
    s.boot("", net=port)
    how, _ = lease(s)
    if how != "DHCP lease":
        s.fail(f"the address is not a DHCP lease but {how}")
    before = command(s, "ifconfig")
    if not re.search(r"link up, DHCP lease", before) or "ether 52:54:00:12:34:56" not in before:
        s.fail(f"ifconfig does not show the lease and the card: {before!r}")
    a = counters(s, before)
    if a["rx_packets"] < 2 or a["tx_packets"] < 2:
        s.fail(f"the DHCP exchange left no trace in the counters: {a}")
    ping_gateway(s)
    b = counters(s, command(s, "ifconfig"))
    for k in ("rx_packets", "tx_packets"):
        if b[k] < a[k] + 3:
            s.fail(f"{k} went from {a[k]} to {b[k]}, fewer than three echoes")
    if b["rx_bytes"] <= a["rx_bytes"] or b["tx_bytes"] <= a["tx_bytes"] or b["errors"]:
        s.fail(f"byte counters did not grow, or errors: {a} -> {b}")
    refused(s, port)
    c = counters(s, command(s, "ifconfig"))
    if c["rx_packets"] <= b["rx_packets"] or c["tx_packets"] <= b["tx_packets"]:
        s.fail(f"the connection left no trace in the counters: {b} -> {c}")


def refused(s, port):
    """Connect from the host to the forwarded port: QEMU accepts, then
    opens the connection to the guest's port 80, where nothing listens,
    and closes the host's side when the guest answers with a reset."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sk:
        sk.settimeout(10)
        try:
            sk.sendall(b"hello")
            data = sk.recv(16)
        except ConnectionResetError:
            data = b""
        except socket.timeout:
            s.fail("the guest neither took nor refused a connection to port 80")
    if data:
        s.fail(f"port 80 answered {data!r}, and nothing listens there")


@case(boot=False, timeout=60)
def net_static_ping(s):
    """With `netstatic` the kernel takes 10.0.2.15/24, gateway 10.0.2.2,
    without asking DHCP, and ping 10.0.2.2 still gets its replies."""
    s.boot("netstatic", net=free_port())
    how, _ = lease(s)
    if how != "static":
        s.fail(f"netstatic gave a {how}")
    ping_gateway(s)


@case(timeout=60)
def net_no_card(s):
    """Without a network card ping and ifconfig say so and fail, and
    the kernel logs no address."""
    start(s)
    out = command(s, "ping 10.0.2.2 1")
    if "ping: no network card, or no address" not in out:
        s.fail(f"ping without a card: {out!r}")
    if "ifconfig: no network card" not in command(s, "ifconfig"):
        s.fail("ifconfig without a card does not say so")
    if re.search(r"net: address", s.serial):
        s.fail("an address without a card")

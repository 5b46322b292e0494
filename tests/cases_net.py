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


# The hostile wire: the test is the rest of the network, 10.0.2.2 at
# HOST_MAC, and talks to the guest in raw Ethernet frames.
GUEST_MAC = bytes.fromhex("525400123456")
HOST_MAC = bytes.fromhex("020000000001")
GUEST_IP = bytes([10, 0, 2, 15])
HOST_IP = bytes([10, 0, 2, 2])


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total & 0xFFFF).to_bytes(2, "big")


def ether(payload, kind=b"\x08\x00", dst=GUEST_MAC):
    return dst + HOST_MAC + kind + payload


def ipv4(payload, proto=1, ihl=5, total=None, frag=b"\0\0", good_sum=True):
    total = 20 + len(payload) if total is None else total
    head = bytes([0x40 | ihl, 0]) + total.to_bytes(2, "big") + b"\x12\x34" + frag + \
        bytes([64, proto]) + b"\0\0" + HOST_IP + GUEST_IP
    if good_sum:
        head = head[:10] + checksum(head) + head[12:]
    return head + payload


def echo_request(seq, good_sum=True, data=b"fable-wire"):
    body = b"\x08\x00\0\0\x77\x77" + seq.to_bytes(2, "big") + data
    if good_sum:
        body = body[:2] + checksum(body) + body[4:]
    return body


def arp(op, target_ip, sender_ip=HOST_IP, hlen=6, plen=4):
    return b"\x00\x01\x08\x00" + bytes([hlen, plen]) + op.to_bytes(2, "big") + \
        HOST_MAC + sender_ip + bytes(6) + target_ip


def hostile_frames():
    """Frames that are wrong in every way a small stack trips over."""
    import random
    rng = random.Random(17)
    frames = [
        b"\x01" * 10,                                            # a runt
        ether(b"\x45\x00\x00"),                                   # IPv4, 3 bytes
        ether(ipv4(b"", ihl=15)),                                 # header longer than frame
        ether(ipv4(b"\0" * 8, ihl=3)),                            # header shorter than 20
        ether(ipv4(echo_request(1), total=65535)),                # length past the frame
        ether(ipv4(echo_request(2), total=10)),                   # length below the header
        ether(ipv4(echo_request(3), good_sum=False)),             # bad IP checksum
        ether(ipv4(echo_request(4, good_sum=False))),             # bad ICMP checksum
        ether(ipv4(b"\x08", proto=1)),                            # ICMP of one byte
        ether(ipv4(b"\0" * 7, proto=17)),                         # UDP shorter than its header
        ether(ipv4(b"\0" * 10, proto=6)),                         # TCP shorter than its header
        ether(arp(1, GUEST_IP, hlen=200), b"\x08\x06"),           # ARP with absurd lengths
        ether(arp(1, GUEST_IP)[:12], b"\x08\x06"),                # ARP cut short
        ether(b"\0" * 1600),                                      # longer than Ethernet allows
    ]
    # Fragments: a first one that never completes, and one far out.
    for off in (0, 8191):
        flags = (0x2000 | off).to_bytes(2, "big")
        frames.append(ether(ipv4(echo_request(5) + b"x" * 200, frag=flags)))
    for _ in range(300):                                          # noise, of every length
        kind = rng.choice([b"\x08\x00", b"\x08\x06", b"\x86\xdd", b"\x12\x34"])
        frames.append(ether(bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 1500))), kind))
    return frames


def arp_reply(to_mac):
    """10.0.2.2 is at HOST_MAC, told to the guest."""
    return ether(b"\x00\x01\x08\x00\x06\x04\x00\x02" + HOST_MAC + HOST_IP + to_mac + GUEST_IP,
                 b"\x08\x06", dst=to_mac)


def wire_answer(s, sk, peer, poke, want):
    """Send the frame poke every half second (the host drops datagrams
    that QEMU has not read yet) until a frame from the guest satisfies
    want, answering its ARP requests for 10.0.2.2 on the way; that
    frame."""
    import time
    end = time.monotonic() + 15
    while time.monotonic() < end:
        sk.sendto(poke, peer)
        try:
            frame = sk.recv(2048)
        except socket.timeout:
            continue
        if frame[12:14] == b"\x08\x06" and frame[20:22] == b"\x00\x01" and frame[38:42] == HOST_IP:
            sk.sendto(arp_reply(frame[6:12]), peer)
        if want(frame):
            return frame
    s.fail("the guest sent no answer on the wire")


@case(boot=False, timeout=90)
def net_hostile_frames(s):
    """On a wire the test plays itself (scripts/qemu --net-udp): hundreds
    of malformed frames - runts, truncated and lying IPv4 headers, bad
    checksums, short ICMP, UDP and TCP, absurd ARP, oversized frames,
    fragments that never complete, random noise - do not bring the kernel
    down or stop its stack: an echo request sent after them is answered,
    and the shell still works."""
    sk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sk.bind(("127.0.0.1", 0))
    sk.settimeout(0.5)
    guest_port = free_udp_port()
    peer = ("127.0.0.1", guest_port)
    with sk:
        s.boot("netstatic", net_udp=(guest_port, sk.getsockname()[1]))
        if lease(s)[0] != "static":
            s.fail("netstatic gave no static address")
        for frame in hostile_frames():
            sk.sendto(frame, peer)
        reply = wire_answer(s, sk, peer, ether(ipv4(echo_request(9))), lambda f: f[12:14] == b"\x08\x00" and f[23] == 1 and
                            f[34] == 0 and f[38:40] == b"\x77\x77" and f[40:42] == b"\x00\x09")
        if reply[30:34] != HOST_IP or reply[42:52] != b"fable-wire":
            s.fail(f"the echo reply is wrong: {reply[:60].hex()}")
        out = command(s, "ifconfig")
        if "link up, static address" not in out:
            s.fail(f"ifconfig after the hostile frames: {out!r}")
        c = counters(s, out)
        if c["rx_packets"] + c["drops"] + c["errors"] < 100:
            s.fail(f"most hostile frames never reached the card: {c}")


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sk:
        sk.bind(("127.0.0.1", 0))
        return sk.getsockname()[1]


def echo_one(s, port, sizes, seed, errors):
    """One connection: each size's bytes sent and read back, byte for
    byte; what went wrong into errors."""
    import random
    rng = random.Random(seed)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sk:
            sk.settimeout(20)
            for size in sizes:
                data = bytes(rng.getrandbits(8) for _ in range(size))
                sk.sendall(data)
                got = b""
                while len(got) < size:
                    chunk = sk.recv(65536)
                    if not chunk:
                        break
                    got += chunk
                if got != data:
                    errors.append(f"connection {seed}: {size} bytes sent, {len(got)} back, "
                                  f"{'equal' if data.startswith(got) else 'different'}")
                    return
    except OSError as e:
        errors.append(f"connection {seed}: {e!r}")


def ended(s, sk, what):
    """The guest's side of sk went away: the host reads an end or a reset."""
    sk.settimeout(10)
    try:
        data = sk.recv(16)
    except ConnectionResetError:
        data = b""
    except socket.timeout:
        s.fail(f"{what}: the connection did not end")
    if data:
        s.fail(f"{what}: {data!r} came instead of the end")


@case(boot=False, timeout=120)
def net_sockets(s):
    """user/tests/net_sock.c under leakcheck, with the host as its peer:
    four connections at once, each echoing sizes from 1 byte to 64 KiB
    byte for byte through the guest's echo threads; a fifth served by a
    forked child from the shared listener; a sixth held by a task killed
    while it waits in read, which the host sees end; and everything back
    in the kernel's counters afterwards."""
    import threading
    port = free_port()
    s.boot("netstatic -- leakcheck -p net_sock", net=port)
    s.wait_for(r"net_sock: echo ready", timeout=30)
    sizes = [1, 2, 100, 1460, 1461, 4096, 5000, 8192, 20000, 65536]
    errors = []
    conns = [threading.Thread(target=echo_one, args=(s, port, sizes[i:] + sizes[:i], i, errors))
             for i in range(4)]
    for t in conns:
        t.start()
    for t in conns:
        t.join()
    if errors:
        s.fail("; ".join(errors))
    s.wait_for(r"net_sock: fork ready", timeout=20)
    errors = []
    echo_one(s, port, [7, 3000, 30000], 9, errors)
    if errors:
        s.fail("through the forked child: " + "; ".join(errors))
    s.wait_for(r"net_sock: recv ready", timeout=20)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sk:
        ended(s, sk, "the task killed in read")
    s.expect_test_pass("net_sock")


@case(boot=False, timeout=90)
def net_echod(s):
    """user/bin/echod as the first program, with room for two
    connections at once: three from the host at once are all echoed
    byte for byte (the third waits for a thread to finish)."""
    import threading
    port = free_port()
    s.boot("netstatic -- echod 80 2", net=port)
    s.wait_for(r"echod: listening on port 80", timeout=30)
    errors = []
    conns = [threading.Thread(target=echo_one, args=(s, port, [1, 3000, 40000, 5], i, errors))
             for i in range(3)]
    for t in conns:
        t.start()
    for t in conns:
        t.join()
    if errors:
        s.fail("; ".join(errors))
    if re.search(r"echod: accept", s.serial):
        s.fail("echod's accept failed")
